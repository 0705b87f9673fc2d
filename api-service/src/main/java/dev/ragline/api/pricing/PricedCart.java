package dev.ragline.api.pricing;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A priced cart: what POST /v1/carts/price answers and what an order is created from. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PricedCart(List<Line> lines, BigDecimal subtotal, BigDecimal discount, BigDecimal total, String currency,
        String promoCode, boolean promoApplied, String promoRejection, @JsonIgnore UUID appliedPromotionId,
        @JsonIgnore boolean appliedPromotionLimited) {

    public record Line(UUID productId, String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }
}
