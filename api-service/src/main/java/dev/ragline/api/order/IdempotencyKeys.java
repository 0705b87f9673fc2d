package dev.ragline.api.order;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Idempotency-Key records per tenant and user. A key is claimed in the transaction that does the work
 * and completed in it too, so a concurrent duplicate blocks on the claimed row until the first request
 * commits (then replays its response) or rolls back (then does the work itself).
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** {@code body} is the stored response as JSON text, sent back as it is. */
    public record Stored(String requestHash, int status, String body) {
    }

    /** True when this request now owns the key (new, or the previous use expired). */
    public Uni<Boolean> claim(SqlConnection tx, UUID tenantId, UUID userId, String key, String requestHash,
            Duration retention) {
        return tx.preparedQuery("""
                INSERT INTO idempotency_keys AS k (tenant_id, user_id, idempotency_key, request_hash, response_status,
                                                   response_body, expires_at)
                VALUES ($1, $2, $3, $4, 0, '{}', now() + make_interval(secs => $5))
                ON CONFLICT (tenant_id, user_id, idempotency_key) DO UPDATE
                    SET request_hash = EXCLUDED.request_hash, response_status = 0, response_body = '{}',
                        created_at = now(), expires_at = EXCLUDED.expires_at
                    WHERE k.expires_at < now()
                RETURNING true AS claimed""")
                .execute(Tuple.of(tenantId, userId, key, requestHash, retention.toSeconds()))
                .map(rows -> rows.iterator().hasNext());
    }

    /** {@code body} is the response's JSON text: PostgreSQL converts it, so it is not parsed again here. */
    public Uni<Void> complete(SqlConnection tx, UUID tenantId, UUID userId, String key, int status, String body) {
        return tx.preparedQuery("UPDATE idempotency_keys SET response_status = $4, response_body = $5::text::jsonb"
                + " WHERE tenant_id = $1 AND user_id = $2 AND idempotency_key = $3")
                .execute(Tuple.of(tenantId, userId, key, status, body))
                .replaceWithVoid();
    }

    public Uni<Optional<Stored>> find(SqlConnection tx, UUID tenantId, UUID userId, String key) {
        return tx.preparedQuery("SELECT request_hash, response_status, response_body FROM idempotency_keys"
                + " WHERE tenant_id = $1 AND user_id = $2 AND idempotency_key = $3")
                .execute(Tuple.of(tenantId, userId, key))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Stored(row.getString("request_hash"), row.getInteger("response_status"),
                            ((JsonObject) row.getValue("response_body")).encode()));
                });
    }

    /** Housekeeping without a tenant: row-level security lets it delete expired keys only. */
    public Uni<Integer> pruneExpired(SqlConnection connection) {
        return connection.preparedQuery("DELETE FROM idempotency_keys WHERE expires_at < now()")
                .execute().map(rows -> rows.rowCount());
    }
}
