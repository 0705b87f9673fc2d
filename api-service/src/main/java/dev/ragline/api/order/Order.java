package dev.ragline.api.order;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.ragline.api.common.Money;
import dev.ragline.api.pricing.PricedCart;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An order; {@code version} counts its changes and numbers its outbox events. */
public record Order(UUID id, UUID userId, String status, List<PricedCart.Line> items, String promoCode, BigDecimal subtotal,
        BigDecimal discount, BigDecimal total, String currency, OffsetDateTime createdAt, OffsetDateTime updatedAt,
        @JsonIgnore long version) {

    /** A new order of a priced cart, version 1, created at {@code now} (its transaction's start). */
    public static Order pending(UUID id, UUID userId, PricedCart cart, OffsetDateTime now) {
        List<PricedCart.Line> lines = cart.lines().stream()
                .map(line -> new PricedCart.Line(line.productId(), line.sku(), line.name(), line.quantity(),
                        Money.of(line.unitPrice()), Money.of(line.lineTotal())))
                .toList();
        return new Order(id, userId, OrderStatus.PENDING.wire(), lines, cart.promoApplied() ? cart.promoCode() : null,
                Money.of(cart.subtotal()), Money.of(cart.discount()), Money.of(cart.total()), cart.currency(), now, now, 1);
    }

    public static JsonArray itemsJson(List<PricedCart.Line> items) {
        JsonArray array = new JsonArray();
        for (PricedCart.Line line : items) {
            array.add(new JsonObject()
                    .put("product_id", line.productId().toString())
                    .put("sku", line.sku())
                    .put("name", line.name())
                    .put("quantity", line.quantity())
                    .put("unit_price", line.unitPrice())
                    .put("line_total", line.lineTotal()));
        }
        return array;
    }

    /** The order event payload (contracts/events/order_v1.json). */
    public JsonObject toEventPayload() {
        return new JsonObject()
                .put("order_id", id.toString())
                .put("user_id", userId.toString())
                .put("status", status)
                .put("items", itemsJson(items))
                .put("promo_code", promoCode)
                .put("subtotal", subtotal)
                .put("discount", discount)
                .put("total", total)
                .put("currency", currency)
                .put("created_at", createdAt.toInstant().toString())
                .put("updated_at", updatedAt.toInstant().toString());
    }
}
