package dev.ragline.worker.relay;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "ragline.relay")
public interface RelayConfig {

    /** Off for a replica that should only run consumers. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Relay threads of this replica. Two overlap one batch's wait for the broker with the next batch's claim,
     * which keeps the lag down when round trips are slow (a busy machine).
     */
    @WithDefault("2")
    int concurrency();

    /** Rows claimed per transaction; small, so a slow broker holds few row locks. */
    @WithDefault("100")
    int batchSize();

    /** How long the relay sleeps when no NOTIFY arrives (the fallback when LISTEN is lost). */
    @WithDefault("100ms")
    Duration pollInterval();

    /** Longest wait for the broker to acknowledge a batch before its rows count as failed. */
    @WithDefault("10s")
    Duration publishTimeout();

    /** First retry delay of a row that failed to publish; doubles per attempt up to {@link #maxBackoff()}. */
    @WithDefault("200ms")
    Duration initialBackoff();

    @WithDefault("10s")
    Duration maxBackoff();

    /** How often published rows older than the retention are pruned. */
    @WithDefault("1m")
    Duration pruneEvery();

    /** Published rows are deleted this long after publication. */
    @WithDefault("24h")
    Duration retention();

    /** The backlog gauge counts unpublished rows up to this many, which bounds the cost of counting. */
    @WithDefault("100000")
    int backlogCap();

    /**
     * Restricts this relay to some tenants (a dedicated relay for a large tenant, or tests that must not
     * publish other tests' rows). Empty relays every tenant.
     */
    Optional<Set<UUID>> tenants();
}
