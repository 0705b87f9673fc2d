package dev.ragline.worker.consumer;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.smallrye.faulttolerance.api.Guard;

/** The retry policy consumers share: exponential backoff with jitter, and no retry of a poison message. */
public final class Retries {

    public static Guard.Builder exponentialWithJitter(Guard.Builder guard, int maxRetries, Duration initialDelay,
            Duration maxDelay, Duration jitter) {
        return guard.withRetry()
                .maxRetries(maxRetries)
                .delay(initialDelay.toMillis(), ChronoUnit.MILLIS)
                .jitter(jitter.toMillis(), ChronoUnit.MILLIS)
                .abortOn(PoisonMessageException.class)
                .withExponentialBackoff().factor(2).maxDelay(maxDelay.toMillis(), ChronoUnit.MILLIS).done()
                .done();
    }

    private Retries() {
    }
}
