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

    /**
     * Requests a replica reserves from the shared Redis counter at once and then admits locally.
     * Larger leases mean fewer Redis round trips; unused leased requests are lost at the window's end,
     * so a tenant may be admitted up to replicas × lease-size fewer than its limit, never more.
     */
    @WithDefault("30")
    int leaseSize();

    /** Beyond this the limiter lets the request through rather than fail it. */
    @WithDefault("PT0.1S")
    Duration redisTimeout();
}
