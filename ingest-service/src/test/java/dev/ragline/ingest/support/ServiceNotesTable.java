package dev.ragline.ingest.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A table of service notes in a schema of its own in ragline_test, for database_query jobs over many rows:
 * every body differs (its row number recurs in it), so no row is skipped as a duplicate.
 */
public final class ServiceNotesTable {

    public static final String DB = "jdbc:postgresql://127.0.0.1:5432/"
            + System.getenv().getOrDefault("RAGLINE_TEST_DB", "ragline_test");

    private final String schema;

    private ServiceNotesTable(String schema) {
        this.schema = schema;
    }

    /** Creates {@code schema.notes (id, title, body)} afresh with {@code rows} rows of {@code bodyChars} characters. */
    public static ServiceNotesTable create(String schema, int rows, int bodyChars) throws SQLException {
        try (Connection connection = superuser(); Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            sql.execute("CREATE SCHEMA " + schema);
            sql.execute("CREATE TABLE " + schema + ".notes (id integer PRIMARY KEY, title text NOT NULL, body text NOT NULL)");
            sql.execute("INSERT INTO " + schema + ".notes SELECT g, 'Service note ' || g, left(repeat('Service note ' || g"
                    + " || ' says the copper kettle ' || (g % 97) || ' was descaled and the steam valve checked. ', 20), "
                    + bodyChars + ") FROM generate_series(1, " + rows + ") g");
        }
        return new ServiceNotesTable(schema);
    }

    public String qualifiedName() {
        return schema + ".notes";
    }

    /**
     * Drops the table and the documents the tenant ingested from it: 100k chunks would otherwise stay in the
     * shared test database and weigh on everyone's searches.
     */
    public void dropWithDocumentsOf(String tenant) throws SQLException {
        try (Connection connection = superuser();
                PreparedStatement documents = connection.prepareStatement("DELETE FROM ingest.documents WHERE tenant_id = ?");
                Statement sql = connection.createStatement()) {
            documents.setString(1, tenant);
            documents.executeUpdate();
            sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    public static Connection superuser() throws SQLException {
        return DriverManager.getConnection(DB, "postgres", "");
    }
}
