package dev.ragline.contracts;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of every RAGline domain event on Kafka: the outbox row that api-service wrote, as the
 * worker publishes it. {@code payload} is the aggregate's state after the change and is described,
 * together with the envelope, by the event family's JSON Schema ({@code order_v1.json}, …).
 * Consumers ignore fields they do not know, so producers may add fields within a version.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventEnvelope(
        @JsonProperty("event_id") UUID eventId,
        @JsonProperty("event_type") String eventType,
        @JsonProperty("version") int version,
        @JsonProperty("tenant_id") UUID tenantId,
        @JsonProperty("aggregate_id") String aggregateId,
        @JsonProperty("aggregate_version") long aggregateVersion,
        @JsonProperty("occurred_at") Instant occurredAt,
        @JsonProperty("traceparent") String traceparent,
        @JsonProperty("payload") JsonNode payload) {
}
