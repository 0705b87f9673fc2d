package dev.ragline.ingest.job.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Blocking;

/** Reads rake.jobs in the group every instance shares, so each job goes to one instance at a time. */
@ApplicationScoped
public class JobConsumer {

    private static final Logger LOG = Logger.getLogger(JobConsumer.class);

    private final JobRunner runner;
    private final ObjectMapper json;

    JobConsumer(JobRunner runner, ObjectMapper json) {
        this.runner = runner;
        this.json = json;
    }

    @Incoming("rake-jobs-in")
    @Blocking
    void consume(ConsumerRecord<String, String> record) throws InterruptedException {
        String message = record.value();
        UUID jobId;
        String tenantId;
        try {
            JsonNode body = json.readTree(message);
            jobId = UUID.fromString(body.path("job_id").asText());
            tenantId = body.path("tenant_id").asText();
        } catch (Exception e) {
            LOG.warnf("ignoring an unreadable rake.jobs message: %s", e.getMessage());
            return;
        }
        try {
            runner.offer(tenantId, jobId, JobTracing.parentOf(record.headers()));
        } catch (RuntimeException e) {
            // The job is safe in PostgreSQL; the reaper publishes it again.
            LOG.warnf("could not take job %s now: %s", jobId, e.getMessage());
        }
    }
}
