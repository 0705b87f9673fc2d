package dev.ragline.llm.conversation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Looks at llm-service's catalogue index from outside, as the database superuser (row-level security
 * would hide every tenant from a session that names none).
 */
final class CatalogueIndexTable {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/"
            + System.getenv().getOrDefault("RAGLINE_TEST_DB", "ragline_test");

    static int indexedProductsOf(UUID tenant) {
        try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
                PreparedStatement query = connection.prepareStatement("""
                        SELECT count(*) FROM llm.catalogue_items
                        WHERE tenant_id = ? AND NOT deleted AND available AND embedding IS NOT NULL
                        """)) {
            query.setObject(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read llm.catalogue_items", e);
        }
    }

    private CatalogueIndexTable() {
    }
}
