package dev.ragline.worker.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.ragline.contracts.EventEnvelope;

/** A record of a batch that parsed as an event, kept with the record so a failure can still park it. */
public record ParsedRecord(ConsumerRecord<String, String> record, EventEnvelope event) {
}
