package dev.ragline.api.stream;

import java.util.UUID;

/**
 * One order event read from Kafka, with where it sits in the topic. {@code envelope} is the
 * contracts EventEnvelope JSON exactly as published, kept as text: it is what every client is sent,
 * and text is the most compact way to retain it. {@code userId} is the customer who owns the order.
 */
public record OrderStreamEvent(
        int partition,
        long offset,
        long publishedAtMillis,
        UUID tenantId,
        UUID userId,
        String eventType,
        String envelope) {
}
