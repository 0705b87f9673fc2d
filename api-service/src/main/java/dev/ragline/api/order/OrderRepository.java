package dev.ragline.api.order;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.pricing.PricedCart;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Orders of the transaction's tenant; every query also filters by tenant explicitly. */
@ApplicationScoped
public class OrderRepository {

    private static final String COLUMNS = "id, user_id, status, items, promo_code, subtotal, discount, total, currency,"
            + " created_at, updated_at, version";

    /** Inserts an order built in full by the caller (its timestamps are the transaction's now(), as the defaults). */
    public Uni<Void> insert(SqlConnection tx, UUID tenantId, Order order) {
        return tx
                .preparedQuery(
                        "INSERT INTO orders (id, tenant_id, user_id, status, items, promo_code, subtotal, discount, total,"
                                + " currency, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
                                + " $11, $12, $13)")
                .execute(Tuple.from(new Object[] { order.id(), tenantId, order.userId(), order.status(),
                        Order.itemsJson(order.items()), order.promoCode(), order.subtotal(), order.discount(), order.total(),
                        order.currency(), order.version(), order.createdAt(), order.updatedAt() }))
                .replaceWithVoid();
    }

    /** The order, locked for a status change; a customer's lookup ({@code ownerId} set) sees only their own orders. */
    public Uni<Optional<Order>> findForUpdate(SqlConnection tx, UUID tenantId, UUID id, UUID ownerId) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM orders WHERE tenant_id = $1 AND id = $2"
                + " AND ($3::uuid IS NULL OR user_id = $3) FOR UPDATE")
                .execute(Tuple.of(tenantId, id, ownerId))
                .map(OrderRepository::first);
    }

    public Uni<Optional<Order>> find(SqlConnection tx, UUID tenantId, UUID id, UUID ownerId) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM orders WHERE tenant_id = $1 AND id = $2"
                + " AND ($3::uuid IS NULL OR user_id = $3)")
                .execute(Tuple.of(tenantId, id, ownerId))
                .map(OrderRepository::first);
    }

    public Uni<OrderPage> list(SqlConnection tx, UUID tenantId, UUID ownerId, String status, int page, int size) {
        return tx.preparedQuery("SELECT " + COLUMNS + ", count(*) OVER () AS total_count FROM orders WHERE tenant_id = $1"
                + " AND ($2::uuid IS NULL OR user_id = $2) AND ($3::text IS NULL OR status = $3)"
                + " ORDER BY created_at DESC, id LIMIT $4 OFFSET $5")
                .execute(Tuple.of(tenantId, ownerId, status, size, (long) page * size))
                .map(rows -> {
                    List<Order> orders = new ArrayList<>();
                    long total = 0;
                    for (Row row : rows) {
                        orders.add(toOrder(row));
                        total = row.getLong("total_count");
                    }
                    return new OrderPage(orders, page, size, total);
                });
    }

    public Uni<Order> updateStatus(SqlConnection tx, UUID tenantId, UUID id, OrderStatus status) {
        return tx.preparedQuery("UPDATE orders SET status = $3, version = version + 1, updated_at = now()"
                + " WHERE tenant_id = $1 AND id = $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(tenantId, id, status.wire()))
                .map(rows -> toOrder(rows.iterator().next()));
    }

    private static Optional<Order> first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? Optional.of(toOrder(rows.iterator().next())) : Optional.empty();
    }

    private static Order toOrder(Row row) {
        JsonArray items = (JsonArray) row.getValue("items");
        List<PricedCart.Line> lines = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = items.getJsonObject(i);
            lines.add(new PricedCart.Line(UUID.fromString(item.getString("product_id")), item.getString("sku"),
                    item.getString("name"), item.getInteger("quantity"), money(item.getValue("unit_price")),
                    money(item.getValue("line_total"))));
        }
        return new Order(row.getUUID("id"), row.getUUID("user_id"), row.getString("status"), lines, row.getString("promo_code"),
                row.getBigDecimal("subtotal").setScale(2), row.getBigDecimal("discount").setScale(2),
                row.getBigDecimal("total").setScale(2), row.getString("currency"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"), row.getLong("version"));
    }

    private static BigDecimal money(Object value) {
        return new BigDecimal(value.toString()).setScale(2);
    }
}
