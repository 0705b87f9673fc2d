package dev.ragline.worker.deadletter;

/** A replay that cannot apply the letter (already recovered, or its cause is not fixed yet). */
public class ReplayRejectedException extends RuntimeException {

    public ReplayRejectedException(String message) {
        super(message);
    }
}
