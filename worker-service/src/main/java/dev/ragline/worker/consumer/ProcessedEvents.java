package dev.ragline.worker.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The idempotency record of the consumers: which event ids each consumer has already applied. */
@ApplicationScoped
public class ProcessedEvents {

    private final Pool pool;
    private final Duration retention;

    ProcessedEvents(Pool pool, ConsumerRetryConfig config) {
        this.pool = pool;
        this.retention = config.processedRetention();
    }

    /**
     * Records the event as applied by this consumer, in the caller's transaction; answers false when it
     * already was (a redelivery), in which case the caller must not apply it again.
     */
    public boolean markApplied(SqlClient transaction, String consumer, UUID eventId) {
        return transaction.preparedQuery("""
                INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING
                """).execute(Tuple.of(consumer, eventId)).await().indefinitely().rowCount() == 1;
    }

    /** Forgets event ids recorded before the retention; answers how many. */
    public int forgetOlderThan(Duration retention) {
        return pool.preparedQuery("DELETE FROM processed_events WHERE processed_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) retention.toSeconds())).await().indefinitely().rowCount();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledForget() {
        forgetOlderThan(retention);
    }

    /** Which of the event ids this consumer has already applied: one query for a whole batch. */
    public Set<UUID> appliedAmong(String consumer, Collection<UUID> eventIds) {
        Set<UUID> applied = new HashSet<>();
        if (eventIds.isEmpty()) {
            return applied;
        }
        pool.preparedQuery("SELECT event_id FROM processed_events WHERE consumer = $1 AND event_id = ANY ($2)")
                .execute(Tuple.of(consumer, eventIds.toArray(UUID[]::new))).await().indefinitely()
                .forEach(row -> applied.add(row.getUUID("event_id")));
        return applied;
    }

    public boolean isApplied(String consumer, UUID eventId) {
        return pool.preparedQuery("SELECT 1 FROM processed_events WHERE consumer = $1 AND event_id = $2")
                .execute(Tuple.of(consumer, eventId)).await().indefinitely().size() > 0;
    }
}
