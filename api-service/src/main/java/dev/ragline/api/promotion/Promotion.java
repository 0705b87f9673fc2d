package dev.ragline.api.promotion;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A promotion code: a percentage or a fixed amount off, under conditions. */
public record Promotion(UUID id, String code, String kind, BigDecimal amount, BigDecimal minSubtotal, String category,
        OffsetDateTime validFrom, OffsetDateTime validUntil, Integer usageLimit, int usedCount, boolean active,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public static final String PERCENT = "percent";
    public static final String FIXED = "fixed";
}
