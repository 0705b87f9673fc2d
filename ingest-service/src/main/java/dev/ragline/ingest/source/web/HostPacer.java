package dev.ragline.ingest.source.web;

import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.IngestConfig;
import io.quarkus.redis.datasource.RedisDataSource;

/**
 * Spaces requests to one host by {@code rake.scrape.per-host-interval} across every instance: a host's
 * turn is a Redis key set with NX and that expiry, so two jobs (or two replicas) never hit a site together.
 */
@ApplicationScoped
public class HostPacer {

    private static final String KEY = "ragline:ingest:pace:";

    private final RedisDataSource redis;
    private final Duration interval;

    HostPacer(RedisDataSource redis, IngestConfig config) {
        this.redis = redis;
        this.interval = config.scrape().perHostInterval();
    }

    public void awaitTurn(String host) throws InterruptedException {
        awaitTurn(host.toLowerCase(Locale.ROOT), interval);
    }

    /** Waits for a turn of a named budget shared by every instance, e.g. EDGAR's 10 requests per second. */
    public void awaitTurn(String name, Duration interval) throws InterruptedException {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        String key = KEY + name;
        String millis = String.valueOf(interval.toMillis());
        while (redis.execute("SET", key, "1", "PX", millis, "NX") == null) {
            Thread.sleep(Math.max(5, interval.toMillis() / 4));
        }
    }
}
