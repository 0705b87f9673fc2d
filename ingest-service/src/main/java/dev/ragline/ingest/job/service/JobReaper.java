package dev.ragline.ingest.job.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.job.repository.JobRepository;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes again the jobs nobody is running: PENDING ones whose publication failed or was not taken,
 * and running ones whose instance stopped renewing its lease. Claiming is atomic, so several
 * instances reaping at once only cause harmless duplicate messages.
 */
@ApplicationScoped
public class JobReaper {

    private static final Logger LOG = Logger.getLogger(JobReaper.class);

    private final JobRepository jobs;
    private final JobDispatcher dispatcher;
    private final IngestConfig.Jobs config;

    JobReaper(JobRepository jobs, JobDispatcher dispatcher, IngestConfig config) {
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.config = config.jobs();
    }

    @Scheduled(every = "${rake.jobs.reaper-every:15s}", delayed = "${rake.jobs.reaper-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void redispatch() {
        List<JobRepository.Redispatch> stranded;
        try {
            stranded = jobs.toRedispatch(config.redispatchPendingAfter());
        } catch (RuntimeException e) {
            LOG.warnf("reaper could not look for jobs: %s", e.getMessage());
            return;
        }
        for (JobRepository.Redispatch job : stranded) {
            LOG.infof("publishing job %s again", job.jobId());
            dispatcher.dispatch(job.tenantId(), job.jobId());
        }
    }
}
