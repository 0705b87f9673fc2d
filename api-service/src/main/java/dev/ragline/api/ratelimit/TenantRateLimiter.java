package dev.ragline.api.ratelimit;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * A fixed-window request budget per tenant in Redis, shared by every replica. A replica leases
 * {@code lease-size} requests at a time with one INCRBY and admits them locally, so most requests
 * need no Redis round trip. A lease is granted only up to what is left of the window's budget, so
 * the replicas together never admit more than the limit; leased requests a replica does not use
 * before the window ends are lost, so they may admit up to replicas × lease-size fewer. When Redis
 * is unavailable requests pass: the limiter protects the service, it must not take it down.
 */
@ApplicationScoped
public class TenantRateLimiter {

    private static final Logger LOG = Logger.getLogger(TenantRateLimiter.class);

    private final ReactiveRedisDataSource redis;
    private final RateLimitConfig config;
    private final ConcurrentMap<UUID, Lease> leases = new ConcurrentHashMap<>();

    public TenantRateLimiter(ReactiveRedisDataSource redis, RateLimitConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** What is left of a tenant's leased requests in one window on this replica. */
    private record Lease(long window, AtomicLong remaining) {

        boolean take() {
            return remaining.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
        }
    }

    /** Seconds the tenant must wait when it is over its limit; empty when the request may proceed. */
    public Uni<Optional<Long>> acquire(UUID tenantId) {
        if (!config.enabled()) {
            return Uni.createFrom().item(Optional.empty());
        }
        long windowMillis = config.window().toMillis();
        long now = System.currentTimeMillis();
        long window = now / windowMillis;
        Lease lease = leases.compute(tenantId,
                (id, current) -> current != null && current.window() == window ? current : new Lease(window, new AtomicLong()));
        if (lease.take()) {
            return Uni.createFrom().item(Optional.empty());
        }
        long limit = config.requestsPerWindow();
        long size = Math.max(1, Math.min(config.leaseSize(), limit));
        String key = "ragline:" + tenantId + ":ratelimit:" + window;
        return redis.value(String.class, Long.class).incrby(key, size)
                .call(total -> total == size ? redis.key().pexpire(key, windowMillis * 2) : Uni.createFrom().voidItem())
                .map(total -> {
                    long granted = Math.max(0, Math.min(size, limit - (total - size)));
                    if (granted == 0) {
                        return Optional.of(Math.max(1, ((window + 1) * windowMillis - now + 999) / 1000));
                    }
                    // This request takes one of the granted; the rest are admitted locally.
                    lease.remaining().addAndGet(granted - 1);
                    return Optional.<Long> empty();
                })
                .ifNoItem().after(config.redisTimeout()).fail()
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Rate limiter skipped, Redis unavailable: %s", failure.toString());
                    return Optional.empty();
                });
    }
}
