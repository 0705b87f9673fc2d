package dev.ragline.worker.consumer;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How consumers retry a message before parking it on the dead-letter topic, and how long they remember it. */
@ConfigMapping(prefix = "ragline.consumers")
public interface ConsumerRetryConfig {

    @WithDefault("3")
    int maxRetries();

    @WithDefault("200ms")
    Duration initialDelay();

    @WithDefault("2s")
    Duration maxDelay();

    @WithDefault("100ms")
    Duration jitter();

    /**
     * How long a processed event id is remembered. Longer than the topics' retention (7 days), after
     * which Kafka cannot redeliver the event anyway.
     */
    @WithDefault("8d")
    Duration processedRetention();
}
