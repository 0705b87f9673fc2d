package dev.ragline.api.order;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Idempotency-Key records per tenant and user. A key is claimed by the statement that creates the order
 * ({@link OrderRepository#create}), with the response already in it; this reads it back for a replay.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** {@code body} is the stored response as JSON text, sent back as it is. */
    public record Stored(String requestHash, int status, String body) {
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
