package dev.ragline.worker.relay;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** One claimed row of {@code api.outbox}. */
public record OutboxRow(
        UUID eventId,
        String eventType,
        int version,
        UUID tenantId,
        String aggregateType,
        UUID aggregateId,
        long aggregateVersion,
        Instant occurredAt,
        JsonNode payload,
        String traceparent,
        int attempts) {
}
