package dev.ragline.llm.catalogue;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A product as api-service describes it, both in product_v1 event payloads ({@code product_id}) and
 * in its REST representation ({@code id}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductSnapshot(
        @JsonProperty("product_id") UUID productId,
        @JsonProperty("id") UUID id,
        @JsonProperty("sku") String sku,
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("price") BigDecimal price,
        @JsonProperty("currency") String currency,
        @JsonProperty("category") String category,
        @JsonProperty("tags") List<String> tags,
        @JsonProperty("available") boolean available) {

    public UUID identity() {
        return productId != null ? productId : id;
    }

    /** What the embedding represents: everything a customer might describe the dish by. */
    public String searchableText() {
        return String.join(". ", name, category == null ? "" : category,
                tags == null ? "" : String.join(", ", tags), description == null ? "" : description);
    }
}
