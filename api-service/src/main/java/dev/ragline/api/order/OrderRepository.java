package dev.ragline.api.order;

import java.math.BigDecimal;
import java.time.Duration;
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

    /**
     * What {@link #create} writes: the order (null for a cart that did not price: then only the key is claimed),
     * the response its key replays, and the limited promotion whose use it counts (null when none).
     */
    public record NewOrder(UUID userId, String key, String requestHash, Duration keyRetention, Order order,
            String responseBody, UUID limitedPromotionId, String traceparent) {
    }

    /*
     * Claims the key (new, or its previous use expired) with the response already in it, and only if it did,
     * counts the limited promotion's use, inserts the order and then its outbox event. A concurrent request
     * holding the key makes the claim wait, up to the lock timeout; once it committed, the key is taken and
     * nothing is written. A promotion's last use taken meanwhile fails the statement (reject, V40), since
     * the caller's COMMIT is already on its way.
     */
    private static final String CREATE = """
            WITH claimed AS (
                INSERT INTO idempotency_keys AS k (tenant_id, user_id, idempotency_key, request_hash, response_status,
                                                   response_body, expires_at)
                VALUES ($1, $2, $3, $4, 201, $5::text::jsonb, now() + make_interval(secs => $6))
                ON CONFLICT (tenant_id, user_id, idempotency_key) DO UPDATE
                    SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
                        response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at
                    WHERE k.expires_at < now()
                RETURNING true AS claimed),
            promotion_use AS (
                UPDATE promotions SET used_count = used_count + 1
                WHERE tenant_id = $1 AND id = $17::uuid AND (usage_limit IS NULL OR used_count < usage_limit)
                  AND EXISTS (SELECT FROM claimed)
                RETURNING id),
            placed AS (
                INSERT INTO orders (id, tenant_id, user_id, status, items, promo_code, subtotal, discount, total, currency,
                                    version, created_at, updated_at)
                SELECT $7::uuid, $1::uuid, $2::uuid, $8::text, $9::jsonb, $10::text, $11::numeric, $12::numeric,
                       $13::numeric, $14::text, $15::bigint, $16::timestamptz, $16::timestamptz
                FROM claimed
                WHERE $7::uuid IS NOT NULL AND ($17::uuid IS NULL OR EXISTS (SELECT FROM promotion_use))
                RETURNING id, version),
            event AS (
                INSERT INTO outbox (event_id, event_type, version, tenant_id, aggregate_type, aggregate_id,
                                    aggregate_version, payload, traceparent)
                SELECT $18::uuid, 'order_created', 1, $1::uuid, 'order', placed.id, placed.version, $19::jsonb, $20::text
                FROM placed)
            SELECT EXISTS (SELECT FROM claimed) AS claimed,
                   (SELECT reject('promotion-exhausted') FROM claimed
                    WHERE $17::uuid IS NOT NULL AND NOT EXISTS (SELECT FROM promotion_use)) AS rejected""";

    /** SQLSTATE of {@code reject(problem)}; the failure's message is the problem's type. */
    static final String REJECTED = "RL409";

    /**
     * Claims the key and, when it was free and there is an order, creates the order with its outbox event in one
     * statement. True when this request claimed the key; false when it was taken (nothing was written then).
     */
    public Uni<Boolean> create(SqlConnection tx, UUID tenantId, NewOrder request) {
        Order order = request.order();
        // Without an order the key is claimed only to learn whether it was taken; the caller rolls the claim back.
        Object[] orderColumns = order == null ? new Object[10]
                : new Object[] { order.id(), order.status(), Order.itemsJson(order.items()), order.promoCode(),
                        order.subtotal(), order.discount(), order.total(), order.currency(), order.version(),
                        order.createdAt() };
        Tuple parameters = Tuple.of(tenantId, request.userId(), request.key(), request.requestHash(),
                order == null ? "{}" : request.responseBody(), request.keyRetention().toSeconds());
        for (Object column : orderColumns) {
            parameters.addValue(column);
        }
        parameters.addValue(request.limitedPromotionId()).addValue(UUID.randomUUID())
                .addValue(order == null ? null : order.toEventPayload()).addValue(request.traceparent());
        return tx.preparedQuery(CREATE).execute(parameters)
                .map(rows -> rows.iterator().next().getBoolean("claimed"));
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
