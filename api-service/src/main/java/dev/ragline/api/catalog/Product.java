package dev.ragline.api.catalog;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A catalogue product; {@code version} counts its changes and numbers its outbox events. */
public record Product(UUID id, String sku, String name, String description, BigDecimal price, String currency,
        String category, List<String> tags, boolean available, OffsetDateTime createdAt, OffsetDateTime updatedAt,
        @JsonIgnore long version) {

    /** The product_upserted event payload (contracts/events/product_v1.json). */
    public JsonObject toEventPayload() {
        return new JsonObject()
                .put("product_id", id.toString())
                .put("sku", sku)
                .put("name", name)
                .put("description", description)
                .put("price", price)
                .put("currency", currency)
                .put("category", category)
                .put("tags", new JsonArray(tags))
                .put("available", available)
                .put("updated_at", updatedAt.toInstant().toString());
    }
}
