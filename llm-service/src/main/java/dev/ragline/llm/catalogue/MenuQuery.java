package dev.ragline.llm.catalogue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * retrieve_menu's arguments: free text plus exact filters. Tags are normalised to the catalogue's spelling.
 * {@code tags} must all be on an item, {@code excludedTags} none of them.
 */
public record MenuQuery(String query, String category, BigDecimal maxPrice, List<String> tags, List<String> excludedTags,
        int limit) {

    /** A menu may tag a vegan dish only "vegan", and it is vegetarian all the same. */
    private static final String VEGETARIAN = "vegetarian";
    private static final List<String> MEAT_FREE = List.of(VEGETARIAN, "vegan");

    public MenuQuery {
        query = query == null ? "" : query.strip();
        category = category == null || category.isBlank() ? null : category.strip();
        tags = tags == null ? List.of() : tags.stream().map(MenuQuery::normaliseTag).distinct().toList();
        List<String> required = tags;
        excludedTags = excludedTags == null ? List.of()
                : excludedTags.stream().map(MenuQuery::normaliseTag).filter(tag -> !required.contains(tag)).distinct()
                        .toList();
    }

    public MenuQuery(String query, String category, BigDecimal maxPrice, List<String> tags, int limit) {
        this(query, category, maxPrice, tags, List.of(), limit);
    }

    public MenuQuery withCategory(String other) {
        return new MenuQuery(query, other, maxPrice, tags, excludedTags, limit);
    }

    /** The required tags an item must carry exactly; vegetarian is matched by {@link #anyOfTags()}. */
    public List<String> exactTags() {
        return tags.stream().filter(tag -> !tag.equals(VEGETARIAN)).toList();
    }

    /** Tags of which an item needs at least one (empty: no such condition). */
    public List<String> anyOfTags() {
        return tags.contains(VEGETARIAN) && !tags.contains("vegan") ? MEAT_FREE : List.of();
    }

    public static String normaliseTag(String tag) {
        return tag.strip().toLowerCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
    }
}
