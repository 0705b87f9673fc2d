package dev.ragline.worker.support;

import java.time.Instant;
import java.util.UUID;

/** An order event as api-service writes it to the outbox, with a payload valid against order_v1.json. */
public record OrderEvent(UUID eventId, String eventType, UUID tenantId, UUID orderId, UUID userId, long version,
        String status) {

    public static OrderEvent created(UUID tenantId, UUID orderId, UUID userId) {
        return new OrderEvent(UUID.randomUUID(), "order_created", tenantId, orderId, userId, 1, "pending");
    }

    public OrderEvent next(String eventType, String newStatus) {
        return new OrderEvent(UUID.randomUUID(), eventType, tenantId, orderId, userId, version + 1, newStatus);
    }

    public String payloadJson() {
        String now = Instant.now().toString();
        return """
                {"order_id":"%s","user_id":"%s","status":"%s",
                 "items":[{"product_id":"%s","sku":"PIZ-001","name":"Margherita","quantity":2,"unit_price":9.50,"line_total":19.00}],
                 "promo_code":null,"subtotal":19.00,"discount":0.00,"total":19.00,"currency":"EUR",
                 "created_at":"%s","updated_at":"%s"}
                """
                .formatted(orderId, userId, status, UUID.nameUUIDFromBytes("margherita".getBytes()), now, now);
    }

    /** The envelope the relay would publish, for tests that feed a consumer directly. */
    public String envelopeJson() {
        return """
                {"event_id":"%s","event_type":"%s","version":1,"tenant_id":"%s","aggregate_id":"%s",
                 "aggregate_version":%d,"occurred_at":"%s","traceparent":null,"payload":%s}
                """.formatted(eventId, eventType, tenantId, orderId, version, Instant.now(), payloadJson());
    }
}
