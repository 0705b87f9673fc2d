package dev.ragline.worker.webhook;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class WebhookDestinationRepository {

    private final Pool pool;

    WebhookDestinationRepository(Pool pool) {
        this.pool = pool;
    }

    public Optional<WebhookDestination> find(UUID tenantId) {
        var rows = pool
                .preparedQuery("SELECT tenant_id, url, secret, updated_at FROM webhook_destinations WHERE tenant_id = $1")
                .execute(Tuple.of(tenantId)).await().indefinitely();
        return rows.size() == 0 ? Optional.empty() : Optional.of(toDestination(rows.iterator().next()));
    }

    /** The destinations of the given tenants, by tenant (tenants without one are absent): one query for a batch. */
    public Map<UUID, WebhookDestination> findAll(Collection<UUID> tenantIds) {
        Map<UUID, WebhookDestination> found = new HashMap<>();
        if (tenantIds.isEmpty()) {
            return found;
        }
        pool.preparedQuery(
                "SELECT tenant_id, url, secret, updated_at FROM webhook_destinations WHERE tenant_id = ANY ($1)")
                .execute(Tuple.of(tenantIds.toArray(UUID[]::new))).await().indefinitely()
                .forEach(row -> found.put(row.getUUID("tenant_id"), toDestination(row)));
        return found;
    }

    public WebhookDestination save(UUID tenantId, String url, String secret) {
        return toDestination(pool.preparedQuery("""
                INSERT INTO webhook_destinations (tenant_id, url, secret) VALUES ($1, $2, $3)
                ON CONFLICT (tenant_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, updated_at = now()
                RETURNING tenant_id, url, secret, updated_at
                """).execute(Tuple.of(tenantId, url, secret)).await().indefinitely().iterator().next());
    }

    public boolean delete(UUID tenantId) {
        return pool.preparedQuery("DELETE FROM webhook_destinations WHERE tenant_id = $1").execute(Tuple.of(tenantId))
                .await().indefinitely().rowCount() == 1;
    }

    private static WebhookDestination toDestination(Row row) {
        return new WebhookDestination(row.getUUID("tenant_id"), row.getString("url"), row.getString("secret"),
                row.getOffsetDateTime("updated_at").toInstant());
    }
}
