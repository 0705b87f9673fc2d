package dev.ragline.api.promotion;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Locale;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** What an admin sends to create or replace a promotion. */
public record PromotionDraft(
        @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{3,32}", message = "3 to 32 letters, digits, dashes or underscores") String code,
        @NotNull @Pattern(regexp = "percent|fixed", message = "percent or fixed") String kind,
        @NotNull @DecimalMin(value = "0.01") @Digits(integer = 10, fraction = 2) BigDecimal amount,
        @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal minSubtotal,
        @Size(max = 64) String category,
        OffsetDateTime validFrom,
        OffsetDateTime validUntil,
        @Min(1) Integer usageLimit,
        Boolean active) {

    public String normalizedCode() {
        return code.toUpperCase(Locale.ROOT);
    }

    public BigDecimal minSubtotalOrZero() {
        return minSubtotal == null ? BigDecimal.ZERO : minSubtotal;
    }

    public boolean activeOrDefault() {
        return active == null || active;
    }

    @JsonIgnore
    @AssertTrue(message = "a percentage is at most 100")
    public boolean isAmountAPercentage() {
        return !Promotion.PERCENT.equals(kind) || amount == null || amount.compareTo(BigDecimal.valueOf(100)) <= 0;
    }

    @JsonIgnore
    @AssertTrue(message = "valid_until must be after valid_from")
    public boolean isWindowOrdered() {
        return validFrom == null || validUntil == null || validUntil.isAfter(validFrom);
    }
}
