package dev.ragline.worker.consumer;

/** A consumer whose dead letters can be replayed: it applies one stored message again, idempotently. */
public interface DeadLetterHandler {

    /** The consumer's name, as recorded in processed_events and on its dead letters. */
    String consumerName();

    /** Applies the message; throws when it still fails. */
    void apply(String key, String body);
}
