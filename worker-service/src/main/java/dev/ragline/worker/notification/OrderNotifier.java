package dev.ragline.worker.notification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.contracts.EventEnvelope;
import dev.ragline.contracts.EventHeaders;
import dev.ragline.worker.EventProducer;
import dev.ragline.worker.KafkaHeaders;
import dev.ragline.worker.Transactions;
import dev.ragline.worker.WorkerTopics;
import dev.ragline.worker.consumer.ConsumerRetryConfig;
import dev.ragline.worker.consumer.DeadLetterHandler;
import dev.ragline.worker.consumer.InboundEvents;
import dev.ragline.worker.consumer.ParsedRecord;
import dev.ragline.worker.consumer.ProcessedEvents;
import dev.ragline.worker.consumer.Retries;
import dev.ragline.worker.consumer.TaskTimer;
import dev.ragline.worker.deadletter.DeadLetters;
import dev.ragline.worker.telemetry.ConsumerSpans;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Turns order events into customer notifications on {@code ragline.notifications}: one per status
 * an order reaches, whatever the number of deliveries of the event. The event id, the announced
 * status and the acknowledged notification are committed together; a crash before the commit leaves
 * nothing recorded and the redelivered event is applied again, republishing the same
 * {@code notification_id} so downstream can drop the copy.
 *
 * <p>
 * Records arrive in batches (one per poll): a batch is applied in one transaction, i.e. one statement
 * recording the event ids and the statuses, the notifications sent together and awaited, and one commit,
 * instead of a transaction, two statements and a broker round trip per event. A batch that fails is applied
 * again one event at a time, with the retries, so only the events that keep failing are parked.
 */
@ApplicationScoped
public class OrderNotifier implements DeadLetterHandler {

    public static final String CONSUMER = "notifications";
    public static final String EVENT_TYPE = "order_status_changed";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(OrderNotifier.class);

    /*
     * Records the batch's event ids as applied and, for the events applied only now, the status each announces;
     * answers the events whose status is announced for the first time, in batch order (the first event of an
     * order and status wins, as it would one event at a time).
     */
    private static final String RECORD_BATCH = """
            WITH applied AS (
                INSERT INTO processed_events (consumer, event_id)
                SELECT $1, id FROM unnest($2::uuid[]) AS id
                ON CONFLICT DO NOTHING
                RETURNING event_id)
            INSERT INTO notified_order_statuses (order_id, status, tenant_id, event_id)
            SELECT e.order_id, e.status, e.tenant_id, e.event_id
            FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::uuid[]) WITH ORDINALITY AS e(order_id, status, tenant_id, event_id, n)
            WHERE e.event_id IN (SELECT event_id FROM applied)
            ORDER BY e.n
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """;

    private final ConsumerSpans consumerSpans;
    private final Pool pool;
    private final ProcessedEvents processed;
    private final InboundEvents events;
    private final EventProducer producer;
    private final WorkerTopics topics;
    private final DeadLetters deadLetters;
    private final TaskTimer timer;
    private final ObjectMapper json;
    private final Guard guard;

    OrderNotifier(Pool pool, ProcessedEvents processed, InboundEvents events, EventProducer producer, WorkerTopics topics,
            DeadLetters deadLetters, TaskTimer timer, ObjectMapper json, ConsumerRetryConfig retry,
            ConsumerSpans consumerSpans) {
        this.consumerSpans = consumerSpans;
        this.pool = pool;
        this.processed = processed;
        this.events = events;
        this.producer = producer;
        this.topics = topics;
        this.deadLetters = deadLetters;
        this.timer = timer;
        this.json = json;
        this.guard = Retries.exponentialWithJitter(Guard.create().withDescription(CONSUMER), retry.maxRetries(),
                retry.initialDelay(), retry.maxDelay(), retry.jitter()).build();
    }

    @Incoming("order-notifications")
    @Blocking
    public void onOrderEvents(ConsumerRecords<String, String> records) {
        consumerSpans.around(CONSUMER, records, () -> handle(records));
    }

    private void handle(ConsumerRecords<String, String> records) {
        List<ParsedRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                EventEnvelope event = events.parse(record.value());
                if (event.eventType().startsWith("order_")) {
                    batch.add(new ParsedRecord(record, event));
                }
            } catch (RuntimeException poison) {
                deadLetters.failed(this, record, poison);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            timer.time(CONSUMER, () -> notifyBatch(batch));
        } catch (RuntimeException e) {
            if (deadLetters.stopping()) {
                throw e;
            }
            LOG.debugf("Notification batch of %d events failed, applying them one by one: %s", batch.size(), e.toString());
            batch.forEach(parsed -> deadLetters.applyOrPark(this, parsed.record()));
        }
    }

    @Override
    public String consumerName() {
        return CONSUMER;
    }

    /** Applies the event, retrying transient failures; a poison event fails at once. */
    @Override
    public void apply(String key, String body) {
        EventEnvelope event = events.parse(body);
        if (!event.eventType().startsWith("order_")) {
            return;
        }
        try {
            guard.call(() -> timer.time(CONSUMER, () -> notifyOnce(event)), Void.class);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Void notifyOnce(EventEnvelope event) {
        return Transactions.inTransaction(pool, connection -> {
            if (processed.markApplied(connection, CONSUMER, event.eventId())) {
                String status = statusOf(event);
                if (firstTimeAt(connection, event, status)) {
                    producer.sendAndAwait(notificationOf(event, status), PUBLISH_TIMEOUT);
                }
            }
            return null;
        });
    }

    /**
     * Two round trips to PostgreSQL for the whole batch: BEGIN with the recording statement, and COMMIT once
     * the broker acknowledged every notification. Nothing commits unless all of them were acknowledged.
     */
    private Void notifyBatch(List<ParsedRecord> batch) {
        int size = batch.size();
        UUID[] eventIds = new UUID[size];
        UUID[] orderIds = new UUID[size];
        String[] statuses = new String[size];
        UUID[] tenantIds = new UUID[size];
        for (int i = 0; i < size; i++) {
            EventEnvelope event = batch.get(i).event();
            eventIds[i] = event.eventId();
            orderIds[i] = UUID.fromString(event.aggregateId());
            statuses[i] = statusOf(event);
            tenantIds[i] = event.tenantId();
        }
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            Set<UUID> announced = new HashSet<>();
            Uni.combine().all()
                    .unis(connection.query("BEGIN").execute(), connection.preparedQuery(RECORD_BATCH)
                            .execute(Tuple.of(CONSUMER, eventIds, orderIds, statuses, tenantIds, eventIds)))
                    .with((begun, recorded) -> recorded).await().indefinitely()
                    .forEach(row -> announced.add(row.getUUID("event_id")));
            List<CompletableFuture<?>> acks = new ArrayList<>(announced.size());
            for (int i = 0; i < size; i++) {
                if (announced.remove(eventIds[i])) {
                    acks.add(producer.send(notificationOf(batch.get(i).event(), statuses[i])));
                }
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            connection.query("COMMIT").execute().await().indefinitely();
            return null;
        } catch (Exception e) {
            connection.query("ROLLBACK").execute().onFailure().recoverWithNull().await().indefinitely();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("Notifications not acknowledged: " + e, e);
        } finally {
            connection.close().await().indefinitely();
        }
    }

    private static String statusOf(EventEnvelope event) {
        return "order_cancelled".equals(event.eventType()) ? "cancelled" : event.payload().path("status").asText();
    }

    private boolean firstTimeAt(SqlConnection connection, EventEnvelope event, String status) {
        return connection.preparedQuery("""
                INSERT INTO notified_order_statuses (order_id, status, tenant_id, event_id) VALUES ($1, $2, $3, $4)
                ON CONFLICT DO NOTHING
                """).execute(Tuple.of(UUID.fromString(event.aggregateId()), status, event.tenantId(), event.eventId()))
                .await().indefinitely().rowCount() == 1;
    }

    private ProducerRecord<String, String> notificationOf(EventEnvelope event, String status) {
        String userId = event.payload().path("user_id").asText();
        ObjectNode payload = json.createObjectNode()
                .put("user_id", userId)
                .put("order_id", event.aggregateId())
                .put("status", status)
                .put("message", OrderStatusMessages.of(status))
                .put("source_event_id", event.eventId().toString());
        UUID notificationId = UUID.nameUUIDFromBytes(("notification:" + event.eventId()).getBytes(StandardCharsets.UTF_8));
        EventEnvelope notification = new EventEnvelope(notificationId, EVENT_TYPE, 1, event.tenantId(), event.aggregateId(),
                event.aggregateVersion(), event.occurredAt(), event.traceparent(), payload);
        String body;
        try {
            body = json.writeValueAsString(notification);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Keyed by customer, so each customer's notifications stay in order.
        ProducerRecord<String, String> record = new ProducerRecord<>(topics.notifications(), userId, body);
        KafkaHeaders.put(record, EventHeaders.EVENT_ID, notificationId.toString());
        KafkaHeaders.put(record, EventHeaders.EVENT_TYPE, EVENT_TYPE);
        KafkaHeaders.put(record, EventHeaders.TENANT_ID, event.tenantId().toString());
        if (event.traceparent() != null) {
            KafkaHeaders.put(record, EventHeaders.TRACEPARENT, event.traceparent());
        }
        return record;
    }

}
