package dev.ragline.api.ratelimit;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

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

    /**
     * What is left of a tenant's leased requests in one window on this replica, and the one reservation
     * in flight: requests finding the lease empty at once wait for the same INCRBY rather than each
     * reserving a batch, which would strand budget on this replica.
     */
    private static final class Lease {

        private final long window;
        private final AtomicLong remaining = new AtomicLong();
        private final AtomicReference<Uni<Long>> refill = new AtomicReference<>();
        /**
         * Redis granted nothing: the window's shared budget is spent and cannot come back before the window
         * ends, so the rest of the window is refused here. Asking Redis per refused request would put the
         * round trip back on the path of exactly the traffic the limit is there to shed.
         */
        private volatile boolean exhausted;

        Lease(long window) {
            this.window = window;
        }

        boolean take() {
            return remaining.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
        }

        /** The reservation in flight, or a new one; it emits the requests granted, already added here. */
        Uni<Long> refill(Supplier<Uni<Long>> reserve) {
            while (true) {
                Uni<Long> pending = refill.get();
                if (pending != null) {
                    return pending;
                }
                AtomicReference<Uni<Long>> self = new AtomicReference<>();
                Uni<Long> shared = Uni.createFrom().<Long> deferred(reserve::get)
                        .invoke(remaining::addAndGet)
                        .onTermination().invoke(() -> refill.compareAndSet(self.get(), null))
                        .memoize().indefinitely();
                self.set(shared);
                if (refill.compareAndSet(null, shared)) {
                    return shared;
                }
            }
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
                (id, current) -> current != null && current.window == window ? current : new Lease(window));
        return admit(tenantId, lease, now)
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Rate limiter skipped, Redis unavailable: %s", failure.toString());
                    return Optional.empty();
                });
    }

    private Uni<Optional<Long>> admit(UUID tenantId, Lease lease, long now) {
        if (lease.take()) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (lease.exhausted) {
            return Uni.createFrom().item(Optional.of(retryAfterSeconds(lease, now)));
        }
        return lease.refill(() -> reserve(tenantId, lease.window)).flatMap(granted -> {
            if (granted == 0) {
                lease.exhausted = true;
                return Uni.createFrom().item(Optional.of(retryAfterSeconds(lease, now)));
            }
            // Requests waiting on the same reservation may have taken every granted one: reserve again.
            return admit(tenantId, lease, now);
        });
    }

    /** Whole seconds until the lease's window ends, at least one. */
    private long retryAfterSeconds(Lease lease, long now) {
        long windowMillis = config.window().toMillis();
        return Math.max(1, ((lease.window + 1) * windowMillis - now + 999) / 1000);
    }

    /** Reserves up to a lease of the window's shared budget; emits how many requests were granted. */
    private Uni<Long> reserve(UUID tenantId, long window) {
        long windowMillis = config.window().toMillis();
        long limit = config.requestsPerWindow();
        long size = Math.max(1, Math.min(config.leaseSize(), limit));
        String key = "ragline:" + tenantId + ":ratelimit:" + window;
        return redis.value(String.class, Long.class).incrby(key, size)
                .call(total -> total == size ? redis.key().pexpire(key, windowMillis * 2) : Uni.createFrom().voidItem())
                .map(total -> Math.max(0, Math.min(size, limit - (total - size))))
                .ifNoItem().after(config.redisTimeout()).fail();
    }
}
