package dev.ragline.api.stream;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One order event read from Kafka, with where it sits in the topic. {@code envelope} is the
 * contracts EventEnvelope exactly as published; {@code userId} is the customer who owns the order.
 */
public record OrderStreamEvent(
        int partition,
        long offset,
        long publishedAtMillis,
        UUID tenantId,
        UUID userId,
        String eventType,
        JsonNode envelope) {
}
