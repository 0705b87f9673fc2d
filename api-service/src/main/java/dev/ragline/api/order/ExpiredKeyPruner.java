package dev.ragline.api.order;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Deletes expired idempotency keys and refresh tokens. Runs on every replica; the deletes are
 * idempotent, and row-level security allows a tenant-less connection to remove expired rows only.
 */
@ApplicationScoped
public class ExpiredKeyPruner {

    private static final Logger LOG = Logger.getLogger(ExpiredKeyPruner.class);

    private final Pool pool;
    private final IdempotencyKeys idempotencyKeys;

    public ExpiredKeyPruner(Pool pool, IdempotencyKeys idempotencyKeys) {
        this.pool = pool;
        this.idempotencyKeys = idempotencyKeys;
    }

    @Scheduled(every = "${ragline.housekeeping.every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return pool.withTransaction(connection -> idempotencyKeys.pruneExpired(connection)
                .chain(keys -> connection.query("DELETE FROM refresh_tokens WHERE expires_at < now()").execute()
                        .invoke(tokens -> LOG.debugf("Pruned %s idempotency keys and %s refresh tokens", keys,
                                Integer.valueOf(tokens.rowCount())))))
                .replaceWithVoid();
    }
}
