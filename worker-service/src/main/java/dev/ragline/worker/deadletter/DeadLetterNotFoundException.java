package dev.ragline.worker.deadletter;

public class DeadLetterNotFoundException extends RuntimeException {

    public DeadLetterNotFoundException(Object id) {
        super("No dead letter " + id);
    }
}
