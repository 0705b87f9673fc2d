package dev.ragline.worker.webhook;

import java.util.ArrayList;
import java.util.HashMap;
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
import dev.ragline.contracts.EventHeaders;
import dev.ragline.worker.KafkaHeaders;
import dev.ragline.worker.consumer.DeadLetterHandler;
import dev.ragline.worker.consumer.InboundEvents;
import dev.ragline.worker.consumer.ParsedRecord;
import dev.ragline.worker.consumer.ProcessedEvents;
import dev.ragline.worker.consumer.TaskTimer;
import dev.ragline.worker.deadletter.DeadLetters;
import dev.ragline.worker.telemetry.ConsumerSpans;
import io.smallrye.common.annotation.Blocking;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Delivers each order event to its tenant's webhook, if the tenant configured one. The event id is
 * recorded as applied once the destination acknowledged it; a crash in between redelivers the same
 * {@code X-Ragline-Event-Id}, which receivers use to drop the copy. A delivery that still fails after
 * its retries (or meets an open breaker) is parked on the dead-letter topic.
 *
 * <p>
 * Records arrive in batches (one per poll): one query finds the destinations of the tenants the records' headers
 * name and one the batch's already applied events, then the events are delivered in order. An event of a tenant
 * without a destination has no effect and is not recorded; when its header names that tenant it is not even
 * parsed, so such a tenant's events cost this consumer one lookup per poll and next to nothing each.
 */
@ApplicationScoped
public class TenantWebhooks implements DeadLetterHandler {

    public static final String CONSUMER = "webhooks";
    private static final Logger LOG = Logger.getLogger(TenantWebhooks.class);

    private final ConsumerSpans consumerSpans;
    private final Pool pool;
    private final InboundEvents events;
    private final ProcessedEvents processed;
    private final WebhookDestinationRepository destinations;
    private final WebhookDelivery delivery;
    private final DeadLetters deadLetters;
    private final TaskTimer timer;

    TenantWebhooks(Pool pool, InboundEvents events, ProcessedEvents processed, WebhookDestinationRepository destinations,
            WebhookDelivery delivery, DeadLetters deadLetters, TaskTimer timer, ConsumerSpans consumerSpans) {
        this.consumerSpans = consumerSpans;
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
        consumerSpans.around(CONSUMER, records, () -> handle(records));
    }

    private void handle(ConsumerRecords<String, String> records) {
        Map<UUID, WebhookDestination> destinationOf = new HashMap<>();
        try {
            destinationOf.putAll(destinations.findAll(headerTenantsOf(records)));
        } catch (RuntimeException e) {
            if (deadLetters.stopping()) {
                throw e;
            }
            LOG.debugf("Webhook destination lookup failed, applying %d events one by one: %s", records.count(),
                    e.toString());
            records.forEach(record -> deadLetters.applyOrPark(this, record));
            return;
        }
        List<ParsedRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            // The relay names the tenant in a header: an event of a tenant without a destination has no effect
            // here, so it is not even parsed (parsing and checking it against its schema is most of what an
            // event costs this consumer; the notifications consumer still parks it if it is not a valid event).
            UUID headerTenant = headerTenantOf(record);
            if (headerTenant != null && !destinationOf.containsKey(headerTenant)) {
                continue;
            }
            try {
                batch.add(new ParsedRecord(record, events.parse(record.value())));
            } catch (RuntimeException poison) {
                deadLetters.failed(this, record, poison);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        Set<UUID> applied;
        try {
            // A body's tenant that its header did not name (no header, or another one) is looked up now.
            List<UUID> unknown = batch.stream().map(parsed -> parsed.event().tenantId()).distinct()
                    .filter(tenant -> !destinationOf.containsKey(tenant)).toList();
            if (!unknown.isEmpty()) {
                destinationOf.putAll(destinations.findAll(unknown));
            }
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

    private static Set<UUID> headerTenantsOf(ConsumerRecords<String, String> records) {
        Set<UUID> tenants = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            UUID tenant = headerTenantOf(record);
            if (tenant != null) {
                tenants.add(tenant);
            }
        }
        return tenants;
    }

    private static UUID headerTenantOf(ConsumerRecord<String, String> record) {
        String tenant = KafkaHeaders.get(record, EventHeaders.TENANT_ID);
        try {
            return tenant == null ? null : UUID.fromString(tenant);
        } catch (IllegalArgumentException notAUuid) {
            return null;
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
