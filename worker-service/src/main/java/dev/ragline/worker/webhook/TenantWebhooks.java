package dev.ragline.worker.webhook;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.ragline.contracts.EventEnvelope;
import dev.ragline.worker.consumer.DeadLetterHandler;
import dev.ragline.worker.consumer.InboundEvents;
import dev.ragline.worker.consumer.ProcessedEvents;
import dev.ragline.worker.consumer.TaskTimer;
import dev.ragline.worker.deadletter.DeadLetters;
import io.smallrye.common.annotation.Blocking;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Delivers each order event to its tenant's webhook, if the tenant configured one. The event id is
 * recorded as applied once the destination acknowledged it; a crash in between redelivers the same
 * {@code X-Ragline-Event-Id}, which receivers use to drop the copy. A delivery that still fails after
 * its retries (or meets an open breaker) is parked on the dead-letter topic.
 */
@ApplicationScoped
public class TenantWebhooks implements DeadLetterHandler {

    public static final String CONSUMER = "webhooks";

    private final Pool pool;
    private final InboundEvents events;
    private final ProcessedEvents processed;
    private final WebhookDestinationRepository destinations;
    private final WebhookDelivery delivery;
    private final DeadLetters deadLetters;
    private final TaskTimer timer;

    TenantWebhooks(Pool pool, InboundEvents events, ProcessedEvents processed, WebhookDestinationRepository destinations,
            WebhookDelivery delivery, DeadLetters deadLetters, TaskTimer timer) {
        this.pool = pool;
        this.events = events;
        this.processed = processed;
        this.destinations = destinations;
        this.delivery = delivery;
        this.deadLetters = deadLetters;
        this.timer = timer;
    }

    @Incoming("order-webhooks")
    @Blocking
    public void onOrderEvent(ConsumerRecord<String, String> record) {
        deadLetters.applyOrPark(this, record);
    }

    @Override
    public String consumerName() {
        return CONSUMER;
    }

    @Override
    public void apply(String key, String body) {
        EventEnvelope event = events.parse(body);
        if (processed.isApplied(CONSUMER, event.eventId())) {
            return;
        }
        destinations.find(event.tenantId()).ifPresent(destination -> timer.time(CONSUMER, () -> {
            delivery.deliver(destination, event, body);
            return null;
        }));
        processed.markApplied(pool, CONSUMER, event.eventId());
    }
}
