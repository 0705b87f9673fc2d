package dev.ragline.worker.consumer;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How often a consumer retries a message before parking it on the dead-letter topic. */
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
}
