package dev.ragline.api.pricing;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A cart to price, and the body of an order. */
public record CartRequest(
        @NotEmpty @Size(max = 50) List<@Valid @NotNull Item> items,
        @Size(max = 32) String promoCode) {

    public record Item(@NotNull UUID productId, @NotNull @Min(1) @Max(99) Integer quantity) {
    }
}
