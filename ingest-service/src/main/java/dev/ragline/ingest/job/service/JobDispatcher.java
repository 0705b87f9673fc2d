package dev.ragline.ingest.job.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.job.repository.JobRepository;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Publishes a stored job to rake.jobs. The job is already in PostgreSQL, so a failed publish loses
 * nothing: the reaper publishes jobs that stay PENDING without having been dispatched.
 */
@ApplicationScoped
public class JobDispatcher {

    private static final Logger LOG = Logger.getLogger(JobDispatcher.class);

    private final Emitter<Record<String, String>> emitter;
    private final JobRepository jobs;
    private final ObjectMapper json;

    JobDispatcher(@Channel("rake-jobs-out") Emitter<Record<String, String>> emitter, JobRepository jobs,
            ObjectMapper json) {
        this.emitter = emitter;
        this.jobs = jobs;
        this.json = json;
    }

    public void dispatch(String tenantId, UUID jobId) {
        String message = message(json, tenantId, jobId).toString();
        try {
            emitter.send(Record.of(jobId.toString(), message)).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    LOG.warnf("job %s not published yet (%s); the reaper will publish it", jobId, failure.getMessage());
                } else {
                    Thread.ofVirtual().start(() -> markDispatched(tenantId, jobId));
                }
            });
        } catch (RuntimeException e) { // e.g. the channel is not connected yet at startup
            LOG.warnf("job %s not published yet (%s); the reaper will publish it", jobId, e.getMessage());
        }
    }

    /** The rake.jobs message, described by contracts/events/rake_job_v1.json. */
    static ObjectNode message(ObjectMapper json, String tenantId, UUID jobId) {
        return json.createObjectNode().put("event_type", "rake_job_requested").put("version", 1)
                .put("job_id", jobId.toString()).put("tenant_id", tenantId).put("requested_at", Instant.now().toString());
    }

    private void markDispatched(String tenantId, UUID jobId) {
        try {
            jobs.markDispatched(tenantId, jobId);
        } catch (RuntimeException e) {
            LOG.debugf("could not mark job %s dispatched: %s", jobId, e.getMessage());
        }
    }
}
