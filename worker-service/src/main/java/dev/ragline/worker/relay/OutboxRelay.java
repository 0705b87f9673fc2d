package dev.ragline.worker.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.contracts.EventEnvelope;
import dev.ragline.contracts.EventHeaders;
import dev.ragline.worker.EventProducer;
import dev.ragline.worker.KafkaHeaders;
import dev.ragline.worker.WorkerTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Moves one batch of outbox rows to Kafka: claims them in a transaction, publishes them, and marks
 * each published only after the broker acknowledged it. The claim's row locks last until the marks
 * commit, so a replica that dies mid-batch leaves its rows unpublished for the next claimer: an event
 * may go out twice, never zero times.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final EventProducer producer;
    private final RelayConfig config;
    private final WorkerTopics topics;
    private final ObjectMapper json;
    private final Timer lag;
    private final Timer batchDuration;
    private final Counter published;
    private final Counter failures;

    OutboxRelay(OutboxRepository outbox, EventProducer producer, RelayConfig config, WorkerTopics topics,
            ObjectMapper json, MeterRegistry metrics) {
        this.outbox = outbox;
        this.producer = producer;
        this.config = config;
        this.topics = topics;
        this.json = json;
        this.lag = Timer.builder("ragline.outbox.lag")
                .description("From an outbox row's commit to the broker's acknowledgement of its event")
                .publishPercentileHistogram().register(metrics);
        this.batchDuration = Timer.builder("ragline.worker.task.duration").tag("task", "relay_batch")
                .description("Duration of one unit of worker work").publishPercentileHistogram().register(metrics);
        this.published = Counter.builder("ragline.outbox.published").description("Outbox rows published to Kafka")
                .register(metrics);
        this.failures = Counter.builder("ragline.outbox.publish.failures")
                .description("Outbox rows that failed to publish and were scheduled for a retry").register(metrics);
    }

    /**
     * Relays one batch; answers how many rows it claimed (a full batch means more may be waiting). Two
     * round trips to PostgreSQL per batch: BEGIN goes out with the claim, and the published marks with COMMIT
     * (each pair pipelined on the connection), because on a busy machine every round trip waits for a
     * PostgreSQL backend and an event loop to be scheduled.
     */
    public int relayBatch() {
        Timer.Sample sample = Timer.start();
        SqlConnection connection = outbox.pool().getConnection().await().indefinitely();
        int claimed;
        try {
            List<OutboxRow> rows = Uni.combine().all()
                    .unis(connection.query("BEGIN").execute(),
                            outbox.claim(connection, config.batchSize(), config.tenants().orElse(Set.of())))
                    .with((begun, claim) -> claim)
                    .await().indefinitely();
            List<UUID> acknowledged = rows.isEmpty() ? List.of() : publish(connection, rows);
            Uni.combine().all().unis(outbox.markPublished(connection, acknowledged), connection.query("COMMIT").execute())
                    .discardItems().await().indefinitely();
            published.increment(acknowledged.size());
            claimed = rows.size();
        } catch (RuntimeException e) {
            connection.query("ROLLBACK").execute().onFailure().recoverWithNull().await().indefinitely();
            throw e;
        } finally {
            connection.close().await().indefinitely();
        }
        if (claimed > 0) {
            sample.stop(batchDuration);
        }
        return claimed;
    }

    /** Sends the rows and waits for the broker; marks the unacknowledged ones for a retry; answers the acknowledged. */
    private List<UUID> publish(SqlConnection connection, List<OutboxRow> rows) {
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            acks.add(producer.send(toRecord(row)));
        }
        long deadline = System.nanoTime() + config.publishTimeout().toNanos();
        List<UUID> acknowledged = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            OutboxRow row = rows.get(i);
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged.add(row.eventId());
                lag.record(Duration.between(row.occurredAt(), Instant.now()));
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                Duration retryIn = backoff(row.attempts());
                LOG.warnf("Event %s of %s %s not acknowledged (attempt %d), retrying in %s: %s", row.eventId(),
                        row.aggregateType(), row.aggregateId(), row.attempts() + 1, retryIn, cause.toString());
                outbox.markFailed(connection, row.eventId(), retryIn, cause.toString());
                failures.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the broker", e);
            }
        }
        return acknowledged;
    }

    /** Exponential: initial, 2×, 4× … capped, so a long broker outage costs a row one attempt per cap. */
    Duration backoff(int previousAttempts) {
        long factor = 1L << Math.min(previousAttempts, 20);
        Duration delay = config.initialBackoff().multipliedBy(factor);
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }

    private ProducerRecord<String, String> toRecord(OutboxRow row) {
        EventEnvelope envelope = new EventEnvelope(row.eventId(), row.eventType(), row.version(), row.tenantId(),
                row.aggregateId().toString(), row.aggregateVersion(), row.occurredAt(), row.traceparent(), row.payload());
        String body;
        try {
            body = json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise event " + row.eventId(), e);
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(topicOf(row), row.aggregateId().toString(), body);
        KafkaHeaders.put(record, EventHeaders.EVENT_ID, row.eventId().toString());
        KafkaHeaders.put(record, EventHeaders.EVENT_TYPE, row.eventType());
        KafkaHeaders.put(record, EventHeaders.TENANT_ID, row.tenantId().toString());
        if (row.traceparent() != null) {
            KafkaHeaders.put(record, EventHeaders.TRACEPARENT, row.traceparent());
        }
        return record;
    }

    private String topicOf(OutboxRow row) {
        return switch (row.aggregateType()) {
            case "order" -> topics.orders();
            case "product" -> topics.products();
            default -> throw new IllegalStateException("No topic for aggregate type " + row.aggregateType());
        };
    }
}
