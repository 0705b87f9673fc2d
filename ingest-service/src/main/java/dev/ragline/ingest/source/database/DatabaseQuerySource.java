package dev.ragline.ingest.source.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.source.RawDocument;
import dev.ragline.ingest.source.SecretParams;
import dev.ragline.ingest.source.Source;
import dev.ragline.ingest.source.SourceContext;

/**
 * Ingests the rows of one read-only SELECT on a PostgreSQL database: each row is a document identified by
 * {@code id_column}, its text from {@code text_columns}, its metadata from {@code metadata_columns}. The query
 * runs in a read-only transaction with a statement timeout and a row cap, and rows come through a cursor.
 */
@ApplicationScoped
public class DatabaseQuerySource implements Source {

    public static final String NAME = "database_query";
    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    // The driver itself, not DriverManager: no other registered driver gets to interpret a tenant's URL.
    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    private final IngestConfig.Database config;
    private final DatabaseHostPolicy hostPolicy;

    DatabaseQuerySource(IngestConfig config, DatabaseHostPolicy hostPolicy) {
        this.config = config.database();
        this.hostPolicy = hostPolicy;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode validate(ObjectNode params) {
        String url = requiredText(params, "jdbc_url");
        if (!url.startsWith(JDBC_PREFIX)) {
            throw ProblemException.badRequest("jdbc_url must be a PostgreSQL JDBC URL (" + JDBC_PREFIX + "host/db)");
        }
        hostPolicy.vet(url);
        requiredText(params, "username");
        if (!params.path("password").isMissingNode() && !params.path("password").isTextual()) {
            throw ProblemException.badRequest("password must be a string");
        }
        String query = requiredText(params, "query");
        ReadOnlyQuery.refusal(query).ifPresent(why -> {
            throw ProblemException.badRequest(why);
        });
        requiredText(params, "id_column");
        List<String> textColumns = columns(params, "text_columns");
        if (textColumns.isEmpty()) {
            throw ProblemException.badRequest("text_columns must name at least one column");
        }
        columns(params, "metadata_columns");
        JsonNode maxRows = params.path("max_rows");
        if (!maxRows.isMissingNode() && (!maxRows.canConvertToInt() || !maxRows.isIntegralNumber()
                || maxRows.asInt() < 1 || maxRows.asInt() > config.maxRows())) {
            throw ProblemException.badRequest("max_rows must be an integer from 1 to " + config.maxRows());
        }
        return params;
    }

    @Override
    public ObjectNode redact(ObjectNode params) {
        ObjectNode masked = SecretParams.masked(params);
        // A password may also hide in the URL's query string (?password=...).
        masked.put("jdbc_url", params.path("jdbc_url").asText().replaceAll("(?i)([?&]password=)[^&]*", "$1"
                + SecretParams.MASK));
        return masked;
    }

    @Override
    public void fetch(SourceContext context, JsonNode params) throws SQLException {
        String idColumn = params.path("id_column").asText();
        List<String> textColumns = texts(params.path("text_columns"));
        List<String> metadataColumns = texts(params.path("metadata_columns"));
        int maxRows = params.path("max_rows").asInt(config.maxRows());

        // Checked again at run time: the allow-list or the name's addresses may have changed since submission.
        DatabaseHostPolicy.Target target = hostPolicy.vet(params.path("jdbc_url").asText());
        Properties login = target.properties();
        login.setProperty("user", params.path("username").asText());
        if (params.hasNonNull("password") || !login.containsKey("password")) {
            login.setProperty("password", params.path("password").asText(""));
        }
        login.setProperty("connectTimeout", Long.toString(config.connectTimeout().toSeconds()));
        login.setProperty("ApplicationName", "ragline-rake");
        try (Connection connection = DRIVER.connect(target.url(), login)) {
            // Autocommit off makes the driver use a cursor (fetch size) instead of reading every row at once.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (Statement setup = connection.createStatement()) {
                setup.execute("SET TRANSACTION READ ONLY");
                setup.execute("SET LOCAL statement_timeout = " + config.statementTimeout().toMillis());
            }
            try (Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(config.fetchSize());
                statement.setMaxRows(maxRows);
                try (ResultSet rows = statement.executeQuery(params.path("query").asText())) {
                    checkColumns(rows, idColumn, textColumns, metadataColumns);
                    int read = 0;
                    while (rows.next()) {
                        if (read++ % config.fetchSize() == 0) {
                            context.checkpoint();
                        }
                        emitRow(context, rows, idColumn, textColumns, metadataColumns);
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            // The driver's message names the cause (timeout, refused login, missing table), never the password.
            throw new SQLException("database_query failed: " + e.getMessage(), e.getSQLState());
        }
    }

    private static void emitRow(SourceContext context, ResultSet rows, String idColumn, List<String> textColumns,
            List<String> metadataColumns) throws SQLException {
        String id = rows.getString(idColumn);
        if (id == null) {
            context.documentFailed("(row without " + idColumn + ")", idColumn + " is null");
            return;
        }
        StringBuilder text = new StringBuilder();
        for (String column : textColumns) {
            String value = rows.getString(column);
            if (value != null && !value.isBlank()) {
                text.append(text.isEmpty() ? "" : "\n\n").append(value);
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String column : metadataColumns) {
            Object value = rows.getObject(column);
            metadata.put(column, value instanceof Number || value instanceof Boolean || value == null ? value
                    : value.toString());
        }
        String title = rows.getString(textColumns.getFirst());
        context.emit(new RawDocument(id, title == null ? id : abbreviate(title), null, false, text.toString(), metadata));
    }

    private static void checkColumns(ResultSet rows, String idColumn, List<String> textColumns,
            List<String> metadataColumns) throws SQLException {
        var meta = rows.getMetaData();
        List<String> present = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            present.add(meta.getColumnLabel(i));
        }
        List<String> wanted = new ArrayList<>(List.of(idColumn));
        wanted.addAll(textColumns);
        wanted.addAll(metadataColumns);
        List<String> missing = wanted.stream().filter(column -> !present.contains(column)).toList();
        if (!missing.isEmpty()) {
            throw new SQLException("the query returns no column " + missing + "; it returns " + present);
        }
    }

    private static String abbreviate(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    private static String requiredText(ObjectNode params, String name) {
        JsonNode value = params.path(name);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw ProblemException.badRequest(name + " is required (a string)");
        }
        return value.asText();
    }

    private static List<String> columns(ObjectNode params, String name) {
        JsonNode value = params.path(name);
        if (value.isMissingNode()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ProblemException.badRequest(name + " must be a list of column names");
        }
        List<String> names = texts(value);
        if (names.size() != value.size() || names.stream().anyMatch(String::isBlank)) {
            throw ProblemException.badRequest(name + " must be a list of column names");
        }
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> {
            if (item.isTextual()) {
                values.add(item.asText());
            }
        });
        return values;
    }
}
