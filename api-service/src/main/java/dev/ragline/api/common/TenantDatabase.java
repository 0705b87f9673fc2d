package dev.ragline.api.common;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.BiFunction;
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

    /**
     * A tenant transaction in as few round trips as the work allows. BEGIN, the tenant binding and the lock
     * timeout go out together with the work's first statements, without waiting for each other (the client
     * pipelines them on the connection and PostgreSQL runs them in order); the work ends the transaction with
     * {@link #commitWith}, which sends COMMIT behind its last statements. On a busy machine every round trip
     * costs a wake-up of a PostgreSQL backend and of an event loop, so this is what keeps writes fast.
     * Work receives the transaction's {@code now()} as a Uni that completes with the binding.
     */
    public <T> Uni<T> inTenantPipelined(UUID tenantId, Duration lockTimeout,
            BiFunction<SqlConnection, Uni<OffsetDateTime>, Uni<T>> work) {
        return pool.withConnection(connection -> {
            Uni<Void> begin = connection.query("BEGIN").execute().replaceWithVoid();
            Uni<OffsetDateTime> bound = connection
                    .preparedQuery("SELECT set_config('ragline.tenant_id', $1, true), set_config('lock_timeout', $2, true),"
                            + " now() AS now")
                    .execute(Tuple.of(tenantId.toString(), lockTimeout.toMillis() + "ms"))
                    .map(rows -> rows.iterator().next().getOffsetDateTime("now"));
            // Subscribing now puts BEGIN and the binding on the wire before anything the work sends.
            Uni<OffsetDateTime> started = Uni.combine().all().unis(begin, bound).with((ignored, now) -> now).memoize()
                    .indefinitely();
            started.subscribe().with(now -> {
            }, failure -> {
            });
            return work.apply(connection, started)
                    .onFailure().call(() -> connection.query("ROLLBACK").execute().onFailure().recoverWithNull());
        });
    }

    /** Sends the statements and COMMIT at once; fails with the first statement that failed (nothing is committed then). */
    public Uni<Void> commitWith(SqlConnection transaction, Uni<?>... statements) {
        Uni<?>[] all = java.util.Arrays.copyOf(statements, statements.length + 1);
        all[statements.length] = transaction.query("COMMIT").execute();
        return Uni.combine().all().unis(all).discardItems();
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
