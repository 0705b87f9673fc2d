package dev.ragline.ingest.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs work in a transaction that has declared its tenant, so PostgreSQL's row-level security
 * decides what the statements can see: a forgotten WHERE clause cannot leak another tenant's rows.
 */
@ApplicationScoped
public class TenantDb {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;

    TenantDb(Pool pool) {
        this.pool = pool;
    }

    public <T> Uni<T> inTenant(String tenantId, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT set_config('ragline.tenant_id', $1, true)")
                .execute(Tuple.of(tenantId))
                .flatMap(ignored -> work.apply(connection)));
    }

    /**
     * As {@link #inTenant(String, Function)}, with further transaction-local settings (such as
     * pgvector's hnsw.*) declared in the same statement as the tenant: one round trip, not one per SET.
     */
    public <T> Uni<T> inTenant(String tenantId, Map<String, String> localSettings, Function<SqlConnection, Uni<T>> work) {
        StringBuilder sql = new StringBuilder("SELECT set_config('ragline.tenant_id', $1, true)");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        localSettings.forEach((name, value) -> {
            sql.append(", set_config($").append(args.size() + 1).append(", $").append(args.size() + 2)
                    .append(", true)");
            args.add(name);
            args.add(value);
        });
        return pool.withTransaction(connection -> connection.preparedQuery(sql.toString())
                .execute(Tuple.from(args))
                .flatMap(ignored -> work.apply(connection)));
    }

    /** The blocking form, for pipeline and request code that runs on worker or virtual threads. */
    public <T> T awaitInTenant(String tenantId, Function<SqlConnection, Uni<T>> work) {
        return inTenant(tenantId, work).await().atMost(TIMEOUT);
    }

    public Pool pool() {
        return pool;
    }
}
