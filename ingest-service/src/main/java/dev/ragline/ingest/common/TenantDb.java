package dev.ragline.ingest.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
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
     * One statement in a transaction that declares the tenant and further transaction-local settings
     * (such as pgvector's hnsw.*): BEGIN, the settings, the statement and COMMIT are pipelined on
     * one connection (sent together) rather than each awaited. A failing statement leaves the
     * transaction aborted, so the COMMIT rolls it back; the connection goes back to the pool only once
     * all four have answered.
     */
    public Uni<RowSet<Row>> queryInTenant(String tenantId, Map<String, String> localSettings, String sql, Tuple args) {
        StringBuilder settings = new StringBuilder("SELECT set_config('ragline.tenant_id', $1, true)");
        List<Object> settingArgs = new ArrayList<>(List.of(tenantId));
        localSettings.forEach((name, value) -> {
            settings.append(", set_config($").append(settingArgs.size() + 1).append(", $")
                    .append(settingArgs.size() + 2).append(", true)");
            settingArgs.add(name);
            settingArgs.add(value);
        });
        return pool.withConnection(connection -> Uni.combine().all()
                .unis(connection.query("BEGIN").execute(),
                        connection.preparedQuery(settings.toString()).execute(Tuple.from(settingArgs)),
                        connection.preparedQuery(sql).execute(args),
                        connection.query("COMMIT").execute())
                .collectFailures()
                .with((begin, declared, rows, commit) -> rows));
    }

    /** The blocking form, for pipeline and request code that runs on worker or virtual threads. */
    public <T> T awaitInTenant(String tenantId, Function<SqlConnection, Uni<T>> work) {
        return inTenant(tenantId, work).await().atMost(TIMEOUT);
    }

    public Pool pool() {
        return pool;
    }
}
