package dev.ragline.worker.webhook;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.ragline.contracts.EventEnvelope;
import dev.ragline.worker.consumer.DeadLetterHandler;
import dev.ragline.worker.consumer.InboundEvents;
import dev.ragline.worker.consumer.ParsedRecord;
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
 *
 * <p>
 * Records arrive in batches (one per poll): one query finds the batch's already applied events and one its
 * tenants' destinations, then the events are delivered in order. An event of a tenant without a destination
 * has no effect and is not recorded, so most events cost no write at all.
 */
@ApplicationScoped
public class TenantWebhooks implements DeadLetterHandler {

    public static final String CONSUMER = "webhooks";
    private static final Logger LOG = Logger.getLogger(TenantWebhooks.class);

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
    public void onOrderEvents(ConsumerRecords<String, String> records) {
        List<ParsedRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                batch.add(new ParsedRecord(record, events.parse(record.value())));
            } catch (RuntimeException poison) {
                deadLetters.failed(this, record, poison);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        Map<UUID, WebhookDestination> destinationOf;
        Set<UUID> applied;
        try {
            destinationOf = destinations.findAll(batch.stream().map(parsed -> parsed.event().tenantId()).toList());
            List<UUID> toDeliver = batch.stream().filter(parsed -> destinationOf.containsKey(parsed.event().tenantId()))
                    .map(parsed -> parsed.event().eventId()).toList();
            applied = processed.appliedAmong(CONSUMER, toDeliver);
        } catch (RuntimeException e) {
            if (deadLetters.stopping()) {
                throw e;
            }
            LOG.debugf("Webhook batch lookups failed, applying %d events one by one: %s", batch.size(), e.toString());
            batch.forEach(parsed -> deadLetters.applyOrPark(this, parsed.record()));
            return;
        }
        Set<UUID> seen = new HashSet<>(applied);
        for (ParsedRecord parsed : batch) {
            WebhookDestination destination = destinationOf.get(parsed.event().tenantId());
            if (destination == null || !seen.add(parsed.event().eventId())) {
                continue;
            }
            try {
                deliverAndRecord(destination, parsed.event(), parsed.record().value());
            } catch (RuntimeException e) {
                deadLetters.failed(this, parsed.record(), e);
            }
        }
    }

    @Override
    public String consumerName() {
        return CONSUMER;
    }

    @Override
    public void apply(String key, String body) {
        EventEnvelope event = events.parse(body);
        Optional<WebhookDestination> destination = destinations.find(event.tenantId());
        if (destination.isEmpty() || processed.isApplied(CONSUMER, event.eventId())) {
            return;
        }
        deliverAndRecord(destination.get(), event, body);
    }

    private void deliverAndRecord(WebhookDestination destination, EventEnvelope event, String body) {
        timer.time(CONSUMER, () -> {
            delivery.deliver(destination, event, body);
            return null;
        });
        processed.markApplied(pool, CONSUMER, event.eventId());
    }
}
