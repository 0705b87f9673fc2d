package dev.ragline.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

@QuarkusTest
class LeasedRateLimitTest {

    private static final int LIMIT = 100;
    private static final int LEASE = 10;

    @Inject
    ReactiveRedisDataSource redis;

    /** An hour-long window, so the test's burst cannot straddle two windows. */
    private static final RateLimitConfig CONFIG = new RateLimitConfig() {
        public boolean enabled() {
            return true;
        }

        public int requestsPerWindow() {
            return LIMIT;
        }

        public Duration window() {
            return Duration.ofHours(1);
        }

        public int leaseSize() {
            return LEASE;
        }

        public Duration redisTimeout() {
            return Duration.ofSeconds(2);
        }
    };

    private static int admitted(List<TenantRateLimiter> replicas, UUID tenant, int requests) {
        int admitted = 0;
        for (int i = 0; i < requests; i++) {
            if (replicas.get(i % replicas.size()).acquire(tenant).await().indefinitely().isEmpty()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void two_replicas_together_admit_no_more_than_the_limit_and_at_most_their_leases_fewer() {
        List<TenantRateLimiter> replicas = List.of(new TenantRateLimiter(redis, CONFIG), new TenantRateLimiter(redis, CONFIG));
        UUID busy = UUID.randomUUID();

        int admitted = admitted(replicas, busy, 3 * LIMIT);

        assertThat(admitted).isBetween(LIMIT - replicas.size() * LEASE, LIMIT);
    }

    @Test
    void one_tenant_exhausting_its_budget_leaves_another_tenants_budget_whole() {
        List<TenantRateLimiter> replicas = List.of(new TenantRateLimiter(redis, CONFIG), new TenantRateLimiter(redis, CONFIG));
        admitted(replicas, UUID.randomUUID(), 3 * LIMIT);

        int quietAdmitted = admitted(replicas, UUID.randomUUID(), LIMIT);

        assertThat(quietAdmitted).isEqualTo(LIMIT);
    }

    @Test
    void requests_finding_a_replicas_lease_empty_at_once_share_one_reservation() {
        TenantRateLimiter replica = new TenantRateLimiter(redis, CONFIG);
        UUID tenant = UUID.randomUUID();
        long window = System.currentTimeMillis() / CONFIG.window().toMillis();
        int burst = 2 * LEASE;

        List<Optional<Long>> answers = Uni.join()
                .all(IntStream.range(0, burst).mapToObj(i -> replica.acquire(tenant)).toList())
                .andFailFast().await().indefinitely();

        assertThat(answers).allMatch(Optional::isEmpty);
        // Twenty waiters each reserving a lease would have counted 200 against the tenant's budget.
        Long reserved = redis.value(String.class, Long.class).get("ragline:" + tenant + ":ratelimit:" + window)
                .await().indefinitely();
        assertThat(reserved).isEqualTo((long) burst);
    }

    @Test
    void a_tenant_over_its_limit_is_refused_without_a_redis_round_trip_per_request() {
        TenantRateLimiter replica = new TenantRateLimiter(redis, CONFIG);
        UUID tenant = UUID.randomUUID();
        long window = System.currentTimeMillis() / CONFIG.window().toMillis();
        String key = "ragline:" + tenant + ":ratelimit:" + window;
        admitted(List.of(replica), tenant, LIMIT + 1);
        Long reservedWhenSpent = redis.value(String.class, Long.class).get(key).await().indefinitely();

        int admittedAfter = admitted(List.of(replica), tenant, 50);

        assertThat(admittedAfter).isZero();
        // Each refused request asking Redis again would have added another lease to the counter.
        assertThat(redis.value(String.class, Long.class).get(key).await().indefinitely()).isEqualTo(reservedWhenSpent);
    }
}
