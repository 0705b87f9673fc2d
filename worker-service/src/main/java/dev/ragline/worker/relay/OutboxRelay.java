package dev.ragline.worker.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
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
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
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
    private final Tracer tracer;
    /** Sends batches in claim order; serialising envelopes here also keeps that work off the event loop. */
    private final ExecutorService sender = Executors
            .newSingleThreadExecutor(Thread.ofPlatform().name("outbox-relay-send").daemon().factory());

    OutboxRelay(OutboxRepository outbox, EventProducer producer, RelayConfig config, WorkerTopics topics,
            ObjectMapper json, MeterRegistry metrics, Tracer tracer) {
        this.tracer = tracer;
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
     * Relays one batch on a connection of the pool, waiting for it; answers how many rows it claimed (a full
     * batch means more may be waiting). The relay loop runs {@link #relay(SqlConnection)} without waiting.
     */
    public int relayBatch() {
        return outbox.pool().withConnection(this::relay).await().indefinitely().claimed();
    }

    /**
     * What one batch did: how many rows it claimed, and whether rows it published have later versions waiting,
     * which no claim could take until these were marked published (so no notification announces them).
     */
    public record Batch(int claimed, boolean successorsWaiting) {
    }

    /**
     * Relays one batch on the connection, without blocking the calling thread (an event loop may call it). Two
     * round trips to PostgreSQL per batch: BEGIN goes out with the claim, and the published marks (and those of
     * failed rows) with COMMIT, each group pipelined on the connection, because on a busy machine every round trip
     * waits for a PostgreSQL backend and an event loop to be scheduled. Between them the rows are sent and the
     * broker's acknowledgements awaited; the item arrives once the marks committed.
     */
    public Uni<Batch> relay(SqlConnection connection) {
        long started = System.nanoTime();
        return Uni.combine().all()
                .unis(connection.query("BEGIN").execute(),
                        outbox.claim(connection, config.batchSize(), config.tenants().orElse(Set.of())))
                .with((begun, claim) -> claim)
                .chain(rows -> publish(connection, rows)
                        .chain(outcome -> Uni.combine().all()
                                .unis(outcome.failedMarks().isEmpty() ? Uni.createFrom().voidItem()
                                        : Uni.join().all(outcome.failedMarks()).andFailFast().replaceWithVoid(),
                                        outbox.markPublished(connection, outcome.acknowledged()),
                                        connection.query("COMMIT").execute())
                                .with((failed, successors, committed) -> {
                                    published.increment(outcome.acknowledged().size());
                                    if (!rows.isEmpty()) {
                                        batchDuration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                                    }
                                    return new Batch(rows.size(), successors);
                                })))
                .onFailure().call(() -> connection.query("ROLLBACK").execute().onFailure().recoverWithNull());
    }

    /** The rows the broker acknowledged, and the (lazy) marks of those it did not, to go out with the commit. */
    private record Outcome(List<UUID> acknowledged, List<Uni<Void>> failedMarks) {
    }

    /**
     * Sends the rows and waits, without blocking, until the broker acknowledged or refused each of them or the
     * publish timeout passed; unacknowledged rows are marked for a retry with backoff. The sends themselves run on
     * the relay's sender thread: {@code KafkaProducer.send} blocks while the producer lacks a topic's metadata (a
     * new topic, or the broker restarting; up to {@code max.block.ms}), which must never hold an event loop.
     */
    private Uni<Outcome> publish(SqlConnection connection, List<OutboxRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(new Outcome(List.of(), List.of()));
        }
        CompletableFuture<List<CompletableFuture<RecordMetadata>>> settled = CompletableFuture.supplyAsync(() -> {
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(rows.size());
            for (OutboxRow row : rows) {
                CompletableFuture<RecordMetadata> ack;
                Span span = publishSpan(row);
                try {
                    ack = producer.send(toRecord(row, span.getSpanContext()));
                } catch (RuntimeException e) {
                    ack = CompletableFuture.failedFuture(e);
                }
                ack.whenComplete((metadata, error) -> {
                    if (error != null) {
                        span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
                    }
                    span.end();
                });
                // Recorded when the broker acknowledges, on the producer's thread.
                ack.thenRun(() -> lag.record(Duration.between(row.occurredAt(), Instant.now())));
                acks.add(ack);
            }
            return acks;
        }, sender).thenCompose(acks -> CompletableFuture
                .allOf(acks.stream().map(ack -> ack.handle((metadata, error) -> null)).toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(allSettled -> acks));
        return Uni.createFrom().completionStage(settled).map(acks -> {
            List<UUID> acknowledged = new ArrayList<>(rows.size());
            List<Uni<Void>> failedMarks = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                OutboxRow row = rows.get(i);
                CompletableFuture<RecordMetadata> ack = acks.get(i);
                if (ack.isDone() && !ack.isCompletedExceptionally()) {
                    acknowledged.add(row.eventId());
                    continue;
                }
                Throwable cause = ack.isDone() ? failureOf(ack)
                        : new TimeoutException("not acknowledged within " + config.publishTimeout());
                Duration retryIn = backoff(row.attempts());
                LOG.warnf("Event %s of %s %s not acknowledged (attempt %d), retrying in %s: %s", row.eventId(),
                        row.aggregateType(), row.aggregateId(), row.attempts() + 1, retryIn, cause.toString());
                failedMarks.add(outbox.markFailed(connection, row.eventId(), retryIn, cause.toString()));
                failures.increment();
            }
            return new Outcome(acknowledged, failedMarks);
        });
    }

    private static Throwable failureOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            return new IllegalStateException("not failed");
        } catch (CompletionException | CancellationException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    @PreDestroy
    void close() {
        sender.shutdown();
    }

    /** Exponential: initial, 2×, 4× … capped, so a long broker outage costs a row one attempt per cap. */
    Duration backoff(int previousAttempts) {
        long factor = 1L << Math.min(previousAttempts, 20);
        Duration delay = config.initialBackoff().multipliedBy(factor);
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }

    /**
     * The publish of one row, a child of the change that wrote it (the row's traceparent), so the consumers of
     * the event, which continue from the record's header, join the trace under the relay's hop.
     */
    private Span publishSpan(OutboxRow row) {
        Context parent = row.traceparent() == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), row.traceparent(), TRACEPARENT);
        return tracer.spanBuilder(topicOf(row) + " publish").setParent(parent).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", topicOf(row))
                .setAttribute("messaging.operation.type", "send").setAttribute("tenant_id", row.tenantId().toString())
                .setAttribute("ragline.event_id", row.eventId().toString())
                .setAttribute("ragline.event_type", row.eventType()).startSpan();
    }

    /** Reads a bare traceparent value as the W3C propagator's one header. */
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(EventHeaders.TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return EventHeaders.TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    /**
     * The envelope keeps the traceparent of the change (what the order stream hands its clients); the record's
     * header carries the relay's publish span, the parent the consumers continue from.
     */
    private ProducerRecord<String, String> toRecord(OutboxRow row, SpanContext publish) {
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
        if (publish.isValid()) {
            KafkaHeaders.put(record, EventHeaders.TRACEPARENT,
                    "00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-" + publish.getTraceFlags().asHex());
        } else if (row.traceparent() != null) {
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
