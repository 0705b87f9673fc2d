package dev.ragline.api.catalog;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "ragline.cache")
public interface CacheConfig {

    @WithDefault("PT5M")
    Duration ttl();

    /** Each entry lives ttl × (1 ± jitter), so entries written together do not expire together. */
    @WithDefault("0.2")
    double ttlJitter();

    /** How long a loader holds the per-key lock that lets one miss, not all of them, reach PostgreSQL. */
    @WithDefault("PT2S")
    Duration lockTtl();

    /** How long a request that lost the lock race waits for the winner's value before reading PostgreSQL itself. */
    @WithDefault("PT0.2S")
    Duration lockWait();

    /** Beyond this a Redis call counts as failed and the request is served from PostgreSQL. */
    @WithDefault("PT0.25S")
    Duration redisTimeout();
}
