package dev.ragline.worker.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collection;

/** Reads the worker's own tables (as the superuser) to check what the consumers applied. */
public final class WorkerTables {

    public static long count(String sql, Collection<?> ids) {
        try (Connection connection = DriverManager.getConnection(ApiOutbox.URL, "postgres", "")) {
            return ApiOutbox.count(connection, sql, ids);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private WorkerTables() {
    }
}
