package dev.ragline.worker.webhook;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "ragline.webhooks")
public interface WebhookConfig {

    /** Longest wait for one delivery attempt. */
    @WithDefault("5s")
    Duration timeout();

    @WithDefault("3")
    int maxRetries();

    @WithDefault("200ms")
    Duration initialDelay();

    @WithDefault("5s")
    Duration maxDelay();

    @WithDefault("200ms")
    Duration jitter();

    /**
     * Attempts (retries included) a destination's circuit breaker looks at: wide enough that one
     * poison event's retries alone cannot open it while the other deliveries succeed.
     */
    @WithDefault("20")
    int breakerRequestVolume();

    @WithDefault("0.5")
    double breakerFailureRatio();

    /** How long an open breaker fails deliveries fast before it lets one through again. */
    @WithDefault("10s")
    Duration breakerDelay();
}
