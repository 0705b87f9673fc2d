package dev.ragline.api.catalog;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;

/**
 * Cache-aside for products in Redis: {@code ragline:{tenant}:cache:product:{id}} for single products and
 * list pages keyed under a tenant-wide version that every write bumps. A short per-key lock lets one
 * request of a hot miss load from PostgreSQL while the others wait briefly for its result. Any Redis
 * failure degrades to PostgreSQL: the cache may make reads faster, never make them fail.
 */
@ApplicationScoped
public class ProductCache {

    private static final Logger LOG = Logger.getLogger(ProductCache.class);

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;
    private final CacheConfig config;
    private final Counter hits;
    private final Counter misses;
    private final AtomicLong hitCount = new AtomicLong();
    private final AtomicLong lookupCount = new AtomicLong();

    public ProductCache(ReactiveRedisDataSource redis, ObjectMapper json, CacheConfig config, MeterRegistry meters) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.json = json;
        this.config = config;
        this.hits = Counter.builder("ragline_cache_lookups").tag("cache", "product").tag("result", "hit").register(meters);
        this.misses = Counter.builder("ragline_cache_lookups").tag("cache", "product").tag("result", "miss").register(meters);
        Gauge.builder("ragline_cache_hit_ratio", this, ProductCache::hitRatio).tag("cache", "product").register(meters);
    }

    public static String productKey(UUID tenantId, UUID productId) {
        return "ragline:" + tenantId + ":cache:product:" + productId;
    }

    public static String listVersionKey(UUID tenantId) {
        return "ragline:" + tenantId + ":cache:products:version";
    }

    public Uni<Optional<Product>> product(UUID tenantId, UUID productId, Supplier<Uni<Optional<Product>>> loader) {
        return readThrough(productKey(tenantId, productId), Product.class, loader);
    }

    public Uni<ProductPage> page(UUID tenantId, ProductQuery query, Supplier<Uni<ProductPage>> loader) {
        return guarded(values.get(listVersionKey(tenantId)))
                .chain(version -> {
                    if (version.isEmpty()) {
                        return loader.get();
                    }
                    String key = "ragline:" + tenantId + ":cache:products:v" + version.get().orElse("0") + ":"
                            + query.cacheKey();
                    return readThrough(key, ProductPage.class, () -> loader.get().map(Optional::of)).map(Optional::orElseThrow);
                });
    }

    /** Drops a changed product and every cached list page of its tenant. */
    public Uni<Void> invalidate(UUID tenantId, UUID productId) {
        return guarded(redis.key().del(productKey(tenantId, productId)))
                .chain(() -> guarded(values.incr(listVersionKey(tenantId))))
                .invoke(done -> {
                    if (done.isEmpty()) {
                        LOG.warnf("Redis unavailable: cached product %s of tenant %s expires with its TTL", productId,
                                tenantId);
                    }
                })
                .replaceWithVoid();
    }

    public double hitRatio() {
        long lookups = lookupCount.get();
        return lookups == 0 ? 0.0 : (double) hitCount.get() / lookups;
    }

    private <T> Uni<Optional<T>> readThrough(String key, Class<T> type, Supplier<Uni<Optional<T>>> loader) {
        return guarded(values.get(key)).chain(cached -> {
            if (cached.isEmpty()) {
                return loader.get(); // Redis is down: straight to PostgreSQL
            }
            Optional<T> hit = cached.get().flatMap(text -> decode(text, type));
            record(hit.isPresent());
            if (hit.isPresent()) {
                return Uni.createFrom().item(hit);
            }
            return loadOnce(key, type, loader);
        });
    }

    private <T> Uni<Optional<T>> loadOnce(String key, Class<T> type, Supplier<Uni<Optional<T>>> loader) {
        String lock = key + ":lock";
        return tryLock(lock).chain(acquired -> acquired
                ? loader.get().call(loaded -> store(key, loaded).chain(() -> guarded(redis.key().del(lock))))
                : waitFor(key, type, loader));
    }

    private Uni<Boolean> tryLock(String lock) {
        return guarded(redis.execute("SET", lock, "1", "NX", "PX", String.valueOf(config.lockTtl().toMillis())))
                .map(reply -> reply.isPresent() && reply.get().isPresent() && "OK".equals(reply.get().get().toString()));
    }

    /** Another request is loading this key: poll briefly for its value, then give up and read PostgreSQL. */
    private <T> Uni<Optional<T>> waitFor(String key, Class<T> type, Supplier<Uni<Optional<T>>> loader) {
        Duration step = Duration.ofMillis(20);
        long attempts = Math.max(1, config.lockWait().toMillis() / step.toMillis());
        return Uni.createFrom().nullItem().onItem().delayIt().by(step)
                .chain(() -> guarded(values.get(key)))
                .map(cached -> cached.flatMap(inner -> inner).flatMap(text -> decode(text, type)))
                .repeat().atMost(attempts).skip().where(Optional::isEmpty).toUni()
                .chain(found -> found != null && found.isPresent() ? Uni.createFrom().item(found) : loader.get());
    }

    private <T> Uni<Void> store(String key, Optional<T> loaded) {
        if (loaded.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        try {
            String text = json.writeValueAsString(loaded.get());
            return guarded(values.psetex(key, jitteredTtl().toMillis(), text)).replaceWithVoid();
        } catch (JsonProcessingException e) {
            return Uni.createFrom().voidItem();
        }
    }

    private Duration jitteredTtl() {
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-config.ttlJitter(), config.ttlJitter());
        return Duration.ofMillis((long) (config.ttl().toMillis() * factor));
    }

    private <T> Optional<T> decode(String text, Class<T> type) {
        try {
            return Optional.of(json.readValue(text, type));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private void record(boolean hit) {
        lookupCount.incrementAndGet();
        if (hit) {
            hitCount.incrementAndGet();
            hits.increment();
        } else {
            misses.increment();
        }
    }

    /**
     * The outcome of a Redis call, or empty when Redis failed or was too slow. The inner Optional is the
     * (possibly absent) value Redis answered.
     */
    private <T> Uni<Optional<Optional<T>>> guarded(Uni<T> call) {
        return call.ifNoItem().after(config.redisTimeout()).fail()
                .map(value -> Optional.of(Optional.ofNullable(value)))
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Redis call failed, falling back to PostgreSQL: %s", failure.toString());
                    return Optional.empty();
                });
    }
}
