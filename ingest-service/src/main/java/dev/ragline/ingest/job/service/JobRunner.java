package dev.ragline.ingest.job.service;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.job.Job;
import dev.ragline.ingest.job.JobStatus;
import dev.ragline.ingest.job.repository.JobRepository;
import dev.ragline.ingest.pipeline.Pipeline;
import dev.ragline.ingest.source.SecretSealer;
import dev.ragline.ingest.telemetry.RakeMetrics;

/**
 * Runs the jobs this instance claims, at most {@code rake.jobs.concurrency} at a time, each under a
 * lease it renews; when the instance dies the lease runs out and another instance takes the job.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final JobRepository jobs;
    private final Pipeline pipeline;
    private final ObjectMapper json;
    private final IngestConfig.Jobs config;
    private final Semaphore slots;
    // Platform threads: a job is CPU-bound (parsing, ONNX inference), which a virtual thread would pin anyway.
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("rake-heartbeat").factory());
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

    private final SecretSealer sealer;
    private final RakeMetrics metrics;
    private final JobTracing tracing;

    JobRunner(JobRepository jobs, Pipeline pipeline, ObjectMapper json, IngestConfig config, SecretSealer sealer,
            RakeMetrics metrics, JobTracing tracing) {
        this.jobs = jobs;
        this.tracing = tracing;
        this.metrics = metrics;
        this.sealer = sealer;
        this.pipeline = pipeline;
        this.json = json;
        this.config = config.jobs();
        this.slots = new Semaphore(this.config.concurrency());
        this.workers = Executors.newFixedThreadPool(this.config.concurrency(),
                Thread.ofPlatform().name("rake-job-", 0).factory());
    }

    /**
     * Claims and starts the job when this instance has a free slot. Returns false when it had none:
     * the job stays PENDING and is published again later, possibly to a less busy instance.
     */
    public boolean offer(String tenantId, UUID jobId) throws InterruptedException {
        return offer(tenantId, jobId, io.opentelemetry.context.Context.root());
    }

    /** As {@link #offer(String, UUID)}, the job's span a child of {@code parent} (the message's publisher). */
    public boolean offer(String tenantId, UUID jobId, io.opentelemetry.context.Context parent) throws InterruptedException {
        if (!slots.tryAcquire(10, TimeUnit.SECONDS)) {
            return false;
        }
        Optional<Job> claimed;
        try {
            claimed = jobs.claim(tenantId, jobId, instance, config.lease());
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        if (claimed.isEmpty()) {
            slots.release();
            return true;
        }
        Job job = claimed.get();
        if (job.attempts() > config.maxAttempts()) {
            slots.release();
            jobs.giveUp(tenantId, jobId, "gave up after " + config.maxAttempts() + " attempts lost their instance");
            metrics.jobFinished(job.source(), "failed", Duration.ZERO, Map.of());
            return true;
        }
        workers.submit(() -> {
            try {
                run(job, parent);
            } finally {
                slots.release();
            }
        });
        return true;
    }

    private void run(Job job, io.opentelemetry.context.Context parent) {
        JobControl control = new JobControl(jobs, json, job.tenantId(), job.jobId(), instance, job.source(), metrics,
                tracing.startJob(parent, job));
        long started = System.nanoTime();
        long period = config.heartbeat().toMillis();
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> {
            try {
                control.heartbeat(config.lease());
            } catch (RuntimeException e) {
                LOG.warnf("heartbeat of job %s failed: %s", job.jobId(), e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        try {
            Pipeline.Outcome outcome = pipeline.run(withRealParams(job), control);
            control.flush();
            jobs.finish(job.tenantId(), job.jobId(), instance, outcome.status(), outcome.error());
            LOG.infof("job %s %s", job.jobId(), outcome.status());
            if (outcome.status() == JobStatus.FAILED) {
                metrics.sourceError(job.source(), "no_document");
            }
            ended(job, control, outcome.status().name(), started);
        } catch (JobStopped stopped) {
            LOG.infof("job %s stopped: %s", job.jobId(), stopped.getMessage());
            ended(job, control, stoppedAs(job), started);
        } catch (Exception e) {
            LOG.warnf(e, "job %s failed", job.jobId());
            try {
                control.flush();
            } catch (RuntimeException | Error ignored) {
                // the failure below is what matters
            }
            jobs.finish(job.tenantId(), job.jobId(), instance, JobStatus.FAILED, describe(e));
            metrics.sourceError(job.source(), "source_failed");
            ended(job, control, JobStatus.FAILED.name(), started);
        } finally {
            control.endSpans("unknown");
            heartbeat.cancel(false);
        }
    }

    private void ended(Job job, JobControl control, String status, long startedNanos) {
        control.endSpans(status.toLowerCase(java.util.Locale.ROOT));
        metrics.jobFinished(job.source(), status.toLowerCase(java.util.Locale.ROOT),
                Duration.ofNanos(System.nanoTime() - startedNanos), control.stageBusyNanos());
    }

    /** A stopped run was either cancelled by a user or taken over by another instance (which will count it). */
    private String stoppedAs(Job job) {
        try {
            return jobs.find(job.tenantId(), job.jobId()).map(Job::status).filter(s -> s == JobStatus.CANCELLED)
                    .map(JobStatus::name).orElse("taken_over");
        } catch (RuntimeException e) {
            return "taken_over";
        }
    }

    /** The job with its secrets opened, for this run only: the record and the API keep the masked params. */
    private Job withRealParams(Job job) throws java.io.IOException {
        Optional<byte[]> sealed = jobs.sealedParams(job.tenantId(), job.jobId());
        if (sealed.isEmpty()) {
            return job;
        }
        return job.withParams(json.readTree(sealer.open(job.jobId(), sealed.get())));
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
        workers.shutdownNow();
    }
}
