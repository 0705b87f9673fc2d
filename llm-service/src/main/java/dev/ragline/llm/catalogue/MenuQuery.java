package dev.ragline.llm.catalogue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** retrieve_menu's arguments: free text plus exact filters. Tags are normalised to the catalogue's spelling. */
public record MenuQuery(String query, String category, BigDecimal maxPrice, List<String> tags, int limit) {

    public MenuQuery {
        query = query == null ? "" : query.strip();
        category = category == null || category.isBlank() ? null : category.strip();
        tags = tags == null ? List.of() : tags.stream().map(MenuQuery::normaliseTag).distinct().toList();
    }

    public static String normaliseTag(String tag) {
        return tag.strip().toLowerCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
    }
}
