package dev.ragline.llm.catalogue;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One product as retrieve_menu returns it. */
public record CatalogueItem(
        @JsonProperty("id") UUID id,
        @JsonProperty("sku") String sku,
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("category") String category,
        @JsonProperty("price") BigDecimal price,
        @JsonProperty("currency") String currency,
        @JsonProperty("tags") List<String> tags,
        @JsonProperty("available") boolean available) {
}
