package dev.ragline.worker.consumer;

/** A message no retry can help: it does not parse or breaks its event contract. It goes straight to the DLQ. */
public class PoisonMessageException extends RuntimeException {

    public PoisonMessageException(String message) {
        super(message);
    }

    public PoisonMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
