package dev.ragline.api.catalog;

import java.math.BigDecimal;

/** Filters and paging of GET /v1/products; also the identity of a cached list page. */
public record ProductQuery(int page, int size, String q, String category, String tag, BigDecimal maxPrice) {

    public String cacheKey() {
        return page + "|" + size + "|" + nullSafe(q) + "|" + nullSafe(category) + "|" + nullSafe(tag) + "|"
                + (maxPrice == null ? "" : maxPrice.toPlainString());
    }

    private static String nullSafe(String value) {
        return value == null ? "" : value;
    }
}
