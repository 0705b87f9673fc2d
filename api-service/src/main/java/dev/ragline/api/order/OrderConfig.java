package dev.ragline.api.order;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "ragline.orders")
public interface OrderConfig {

    /** How long an Idempotency-Key is remembered (at least 24 h). */
    @WithDefault("PT24H")
    Duration idempotencyRetention();

    /** How long a duplicate waits for the in-flight original before it gets a 409. */
    @WithDefault("PT10S")
    Duration inFlightWait();
}
