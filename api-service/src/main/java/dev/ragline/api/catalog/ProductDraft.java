package dev.ragline.api.catalog;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What staff send to create or replace a product. */
public record ProductDraft(
        @NotBlank @Size(max = 64) String sku,
        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,
        @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal price,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "an ISO 4217 code such as EUR") String currency,
        @NotBlank @Size(max = 64) String category,
        @Size(max = 20) List<@NotBlank @Size(max = 32) String> tags,
        Boolean available) {

    public List<String> tagsOrEmpty() {
        return tags == null ? List.of() : tags;
    }

    public boolean availableOrDefault() {
        return available == null || available;
    }
}
