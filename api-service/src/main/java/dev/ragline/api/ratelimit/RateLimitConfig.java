package dev.ragline.api.ratelimit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "ragline.rate-limit")
public interface RateLimitConfig {

    @WithDefault("true")
    boolean enabled();

    /** Requests one tenant may make per window, summed over all replicas. */
    @WithDefault("3000")
    int requestsPerWindow();

    @WithDefault("PT1S")
    Duration window();

    /** Beyond this the limiter lets the request through rather than fail it. */
    @WithDefault("PT0.1S")
    Duration redisTimeout();
}
