package dev.ragline.llm.common;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs work in a transaction whose {@code ragline.tenant_id} setting names one tenant, which the
 * row-level security policies of the llm schema require: rows of other tenants are invisible.
 * Callers are blocking (worker or virtual threads), so this waits for the result.
 */
@ApplicationScoped
public class TenantTransactions {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;

    TenantTransactions(Pool pool) {
        this.pool = pool;
    }

    public <T> T inTenant(UUID tenantId, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT set_config('ragline.tenant_id', $1, true)")
                .execute(Tuple.of(tenantId.toString()))
                .flatMap(ignored -> work.apply(connection)))
                .await().atMost(TIMEOUT);
    }

    public Pool pool() {
        return pool;
    }
}
