package dev.ragline.worker;

import java.util.function.Function;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

/**
 * Runs work in one database transaction on the calling (worker) thread: commit when it returns,
 * roll back when it throws. For code that must wait for Kafka or HTTP inside the transaction, which
 * must not happen on an event-loop thread.
 */
public final class Transactions {

    public static <T> T inTransaction(Pool pool, Function<SqlConnection, T> work) {
        SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            Transaction transaction = connection.begin().await().indefinitely();
            T result;
            try {
                result = work.apply(connection);
            } catch (RuntimeException e) {
                transaction.rollback().await().indefinitely();
                throw e;
            }
            transaction.commit().await().indefinitely();
            return result;
        } finally {
            connection.close().await().indefinitely();
        }
    }

    private Transactions() {
    }
}
