package dev.ragline.api.common;

import java.net.ConnectException;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/** PostgreSQL error codes the services translate into API answers. */
public final class PgErrors {

    public static boolean isUniqueViolation(Throwable failure) {
        return hasState(failure, "23505");
    }

    public static boolean isLockTimeout(Throwable failure) {
        return hasState(failure, "55P03");
    }

    /**
     * The database cannot be reached for now (restarting, failing over, refusing connections): the request may
     * succeed when retried, so callers get a 503 rather than a 500 that reads as a bug of ours.
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ClosedConnectionException || cause instanceof ConnectException) {
                return true;
            }
            // Class 08: connection exceptions; 57P01-57P03: the server shuts down, crashed, or cannot accept yet.
            if (cause instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasState(Throwable failure, String sqlState) {
        return failure instanceof PgException pg && sqlState.equals(pg.getSqlState());
    }

    private PgErrors() {
    }
}
