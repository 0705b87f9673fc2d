package dev.ragline.llm.chat.memory;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The cart apply_promos priced and summarised to the customer in {@code turn}; confirm may only place
 * exactly this cart, and only in a later turn in which the customer confirmed it.
 */
public record PendingCart(
        @JsonProperty("items") List<CartLine> items,
        @JsonProperty("promo_code") String promoCode,
        @JsonProperty("turn") int turn,
        @JsonProperty("priced") JsonNode priced) {

    public record CartLine(@JsonProperty("product_id") String productId, @JsonProperty("quantity") int quantity) {
    }
}
