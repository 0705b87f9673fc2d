package dev.ragline.worker.notification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

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
import dev.ragline.worker.consumer.ProcessedEvents;
import dev.ragline.worker.consumer.Retries;
import dev.ragline.worker.consumer.TaskTimer;
import dev.ragline.worker.deadletter.DeadLetters;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Turns order events into customer notifications on {@code ragline.notifications}: one per status
 * an order reaches, whatever the number of deliveries of the event. The event id, the announced
 * status and the acknowledged notification are committed together; a crash before the commit leaves
 * nothing recorded and the redelivered event is applied again, republishing the same
 * {@code notification_id} so downstream can drop the copy.
 */
@ApplicationScoped
public class OrderNotifier implements DeadLetterHandler {

    public static final String CONSUMER = "notifications";
    public static final String EVENT_TYPE = "order_status_changed";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

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
            DeadLetters deadLetters, TaskTimer timer, ObjectMapper json, ConsumerRetryConfig retry) {
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
    public void onOrderEvent(ConsumerRecord<String, String> record) {
        deadLetters.applyOrPark(this, record);
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
                String status = "order_cancelled".equals(event.eventType()) ? "cancelled"
                        : event.payload().path("status").asText();
                if (firstTimeAt(connection, event, status)) {
                    producer.sendAndAwait(notificationOf(event, status), PUBLISH_TIMEOUT);
                }
            }
            return null;
        });
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
