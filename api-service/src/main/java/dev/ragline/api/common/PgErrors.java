package dev.ragline.api.common;

import io.vertx.pgclient.PgException;

/** PostgreSQL error codes the services translate into API answers. */
public final class PgErrors {

    public static boolean isUniqueViolation(Throwable failure) {
        return hasState(failure, "23505");
    }

    public static boolean isLockTimeout(Throwable failure) {
        return hasState(failure, "55P03");
    }

    private static boolean hasState(Throwable failure, String sqlState) {
        return failure instanceof PgException pg && sqlState.equals(pg.getSqlState());
    }

    private PgErrors() {
    }
}
