package dev.ragline.worker.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes outbox rows the way api-service does (as the owner of the api schema, over JDBC), so the
 * worker relays real rows from the real table.
 */
public final class ApiOutbox {

    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/"
            + System.getenv().getOrDefault("RAGLINE_TEST_DB", "ragline_test");

    /** Tenants the test profile's relay serves (ragline.relay.tenants). */
    public static final UUID TENANT_A = UUID.fromString("00000000-0000-4000-8000-00000000a001");
    public static final UUID TENANT_B = UUID.fromString("00000000-0000-4000-8000-00000000a002");
    public static final UUID TENANT_C = UUID.fromString("00000000-0000-4000-8000-00000000a003");

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, "ragline_api_owner", "ragline");
    }

    public static void insert(Connection connection, OrderEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO api.outbox (event_id, event_type, version, tenant_id, aggregate_type, aggregate_id,
                                        aggregate_version, payload, traceparent)
                VALUES (?, ?, 1, ?, 'order', ?, ?, ?::jsonb, ?)
                """)) {
            insert.setObject(1, event.eventId());
            insert.setString(2, event.eventType());
            insert.setObject(3, event.tenantId());
            insert.setObject(4, event.orderId());
            insert.setLong(5, event.version());
            insert.setString(6, event.payloadJson());
            insert.setString(7, "00-" + event.eventId().toString().replace("-", "") + "-00f067aa0ba902b7-01");
            insert.executeUpdate();
        }
    }

    /** A product_upserted row, as api-service writes it when the catalogue changes. */
    public static UUID insertProductUpserted(UUID tenantId, UUID productId, long version) {
        UUID eventId = UUID.randomUUID();
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO api.outbox (event_id, event_type, version, tenant_id, aggregate_type, aggregate_id,
                                        aggregate_version, payload)
                VALUES (?, 'product_upserted', 1, ?, 'product', ?, ?, ?::jsonb)
                """)) {
            insert.setObject(1, eventId);
            insert.setObject(2, tenantId);
            insert.setObject(3, productId);
            insert.setLong(4, version);
            insert.setString(5, """
                    {"product_id":"%s","sku":"PIZ-%d","name":"Diavola","description":"spicy salami","price":12.50,
                     "currency":"EUR","category":"pizza","tags":["spicy"],"available":true,"updated_at":"2026-11-24T10:15:30Z"}
                    """.formatted(productId, version));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return eventId;
    }

    public static void insert(OrderEvent... events) {
        try (Connection connection = connect()) {
            for (OrderEvent event : events) {
                insert(connection, event);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long countUnpublished(List<UUID> eventIds) {
        return count("SELECT count(*) FROM api.outbox WHERE published_at IS NULL AND event_id = ANY (?)", eventIds);
    }

    public static long countPresent(List<UUID> eventIds) {
        return count("SELECT count(*) FROM api.outbox WHERE event_id = ANY (?)", eventIds);
    }

    public static void delete(List<UUID> eventIds) {
        try (Connection connection = connect();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM api.outbox WHERE event_id = ANY (?)")) {
            delete.setArray(1, connection.createArrayOf("uuid", eventIds.toArray()));
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void markPublishedAt(UUID eventId, Instant publishedAt) {
        try (Connection connection = connect();
                PreparedStatement update = connection
                        .prepareStatement("UPDATE api.outbox SET published_at = ? WHERE event_id = ?")) {
            update.setTimestamp(1, Timestamp.from(publishedAt));
            update.setObject(2, eventId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String sql, List<UUID> eventIds) {
        try (Connection connection = connect()) {
            return count(connection, sql, eventIds);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sql} counts rows whose uuid is in its one array parameter. */
    public static long count(Connection connection, String sql, java.util.Collection<?> ids) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private ApiOutbox() {
    }
}
