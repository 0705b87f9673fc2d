package dev.ragline.worker.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/** Reads the worker's own tables (as the superuser) to check what the consumers applied. */
public final class WorkerTables {

    public static long count(String sql, Collection<?> ids) {
        try (Connection connection = DriverManager.getConnection(ApiOutbox.URL, "postgres", "");
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private WorkerTables() {
    }
}
