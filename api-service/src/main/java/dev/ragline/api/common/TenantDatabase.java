package dev.ragline.api.common;

import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs work in a transaction bound to one tenant: row-level security then hides every other
 * tenant's rows, even from a query that forgot its own tenant filter.
 */
@ApplicationScoped
public class TenantDatabase {

    private final Pool pool;

    public TenantDatabase(Pool pool) {
        this.pool = pool;
    }

    public <T> Uni<T> inTenant(UUID tenantId, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(connection -> bind(connection, tenantId).chain(() -> work.apply(connection)));
    }

    /** Binds an open transaction to a tenant until it ends (set_config with is_local = true). */
    public Uni<Void> bind(SqlConnection transaction, UUID tenantId) {
        return transaction.preparedQuery("SELECT set_config('ragline.tenant_id', $1, true)")
                .execute(Tuple.of(tenantId.toString()))
                .replaceWithVoid();
    }

    /** For the tenant registry, which is not tenant-owned. */
    public <T> Uni<T> withoutTenant(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }
}
