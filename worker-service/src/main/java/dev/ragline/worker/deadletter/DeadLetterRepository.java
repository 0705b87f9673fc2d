package dev.ragline.worker.deadletter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class DeadLetterRepository {

    private static final String COLUMNS = """
            id, consumer, source_topic, source_partition, source_offset, tenant_id, event_id, record_key, body, cause,
            status, replay_attempts, last_replay_error, parked_at, recovered_at""";

    private final Pool pool;

    DeadLetterRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Indexes a parked message; parking the same record twice (a crash in between) keeps the first. */
    public void insert(DeadLetter letter) {
        pool.preparedQuery("""
                INSERT INTO dead_letters (id, consumer, source_topic, source_partition, source_offset, tenant_id, event_id,
                                          record_key, body, cause)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (consumer, source_topic, source_partition, source_offset) DO NOTHING
                """).execute(Tuple.from(new Object[] { letter.id(), letter.consumer(), letter.sourceTopic(),
                letter.sourcePartition(), letter.sourceOffset(), letter.tenantId(), letter.eventId(), letter.key(),
                letter.body(), letter.cause() })).await().indefinitely();
    }

    /** Newest first; {@code tenantId} empty lists every tenant's (platform admins). */
    public List<DeadLetter> list(Optional<UUID> tenantId, Optional<String> status, int limit) {
        List<DeadLetter> letters = new ArrayList<>();
        pool.preparedQuery("SELECT " + COLUMNS + """
                 FROM dead_letters
                WHERE ($1::uuid IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR status = $2)
                ORDER BY parked_at DESC LIMIT $3
                """).execute(Tuple.of(tenantId.orElse(null), status.orElse(null), limit)).await().indefinitely()
                .forEach(row -> letters.add(toDeadLetter(row)));
        return letters;
    }

    /** Locks the dead letter for a replay, so two replays of one letter cannot both apply it. */
    public Optional<DeadLetter> lockForReplay(SqlClient transaction, UUID id, Optional<UUID> tenantId) {
        var rows = transaction.preparedQuery("SELECT " + COLUMNS + """
                 FROM dead_letters WHERE id = $1 AND ($2::uuid IS NULL OR tenant_id = $2) FOR UPDATE
                """).execute(Tuple.of(id, tenantId.orElse(null))).await().indefinitely();
        return rows.size() == 0 ? Optional.empty() : Optional.of(toDeadLetter(rows.iterator().next()));
    }

    public Optional<DeadLetter> find(UUID id) {
        var rows = pool.preparedQuery("SELECT " + COLUMNS + " FROM dead_letters WHERE id = $1").execute(Tuple.of(id))
                .await().indefinitely();
        return rows.size() == 0 ? Optional.empty() : Optional.of(toDeadLetter(rows.iterator().next()));
    }

    public void markRecovered(SqlClient transaction, UUID id) {
        transaction.preparedQuery("""
                UPDATE dead_letters SET status = 'recovered', recovered_at = now(), replay_attempts = replay_attempts + 1,
                                        last_replay_error = NULL
                WHERE id = $1
                """).execute(Tuple.of(id)).await().indefinitely();
    }

    public void recordFailedReplay(SqlClient transaction, UUID id, String error) {
        transaction.preparedQuery("""
                UPDATE dead_letters SET replay_attempts = replay_attempts + 1, last_replay_error = $2 WHERE id = $1
                """).execute(Tuple.of(id, error)).await().indefinitely();
    }

    private static DeadLetter toDeadLetter(Row row) {
        return new DeadLetter(row.getUUID("id"), row.getString("consumer"), row.getString("source_topic"),
                row.getInteger("source_partition"), row.getLong("source_offset"), row.getUUID("tenant_id"),
                row.getUUID("event_id"), row.getString("record_key"), row.getString("body"), row.getString("cause"),
                row.getString("status"), row.getInteger("replay_attempts"), row.getString("last_replay_error"),
                instant(row.getOffsetDateTime("parked_at")), instant(row.getOffsetDateTime("recovered_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
