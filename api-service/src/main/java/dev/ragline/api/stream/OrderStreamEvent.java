package dev.ragline.api.stream;

import java.util.UUID;

/**
 * One order event read from Kafka, with where it sits in the topic. {@code envelope} is the
 * contracts EventEnvelope JSON exactly as published, kept as text: it is what every client is sent,
 * and text is the most compact way to retain it. {@code userId} is the customer who owns the order.
 * {@code eventId} is the envelope's {@code event_id}: the relay may publish one event more than once
 * (at later offsets), and the hub delivers only its first copy.
 */
public record OrderStreamEvent(
        int partition,
        long offset,
        UUID eventId,
        long publishedAtMillis,
        UUID tenantId,
        UUID userId,
        String eventType,
        String envelope) {
}
