package dev.ragline.api.ratelimit;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * A fixed-window request counter per tenant in Redis, shared by every replica. When Redis is
 * unavailable requests pass: the limiter protects the service, it must not take it down.
 */
@ApplicationScoped
public class TenantRateLimiter {

    private static final Logger LOG = Logger.getLogger(TenantRateLimiter.class);

    private final ReactiveRedisDataSource redis;
    private final RateLimitConfig config;

    public TenantRateLimiter(ReactiveRedisDataSource redis, RateLimitConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** Seconds the tenant must wait when it is over its limit; empty when the request may proceed. */
    public Uni<Optional<Long>> acquire(UUID tenantId) {
        if (!config.enabled()) {
            return Uni.createFrom().item(Optional.empty());
        }
        long windowMillis = config.window().toMillis();
        long now = System.currentTimeMillis();
        long window = now / windowMillis;
        String key = "ragline:" + tenantId + ":ratelimit:" + window;
        return redis.value(String.class, Long.class).incr(key)
                .call(count -> count == 1 ? redis.key().pexpire(key, windowMillis * 2) : Uni.createFrom().voidItem())
                .map(count -> count > config.requestsPerWindow()
                        ? Optional.of(Math.max(1, ((window + 1) * windowMillis - now + 999) / 1000))
                        : Optional.<Long> empty())
                .ifNoItem().after(config.redisTimeout()).fail()
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Rate limiter skipped, Redis unavailable: %s", failure.toString());
                    return Optional.empty();
                });
    }
}
