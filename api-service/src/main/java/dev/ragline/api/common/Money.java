package dev.ragline.api.common;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money is exact with two decimals; rounding is half-up, once, where an amount is derived. */
public final class Money {

    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    public static BigDecimal of(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    private Money() {
    }
}
