package dev.ragline.llm.catalogue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a customer's menu request says in words, read as retrieve_menu's filters: "something spicy without meat
 * under 12" is spicy, vegetarian (or vegan) and at most 12. Both the offline responder and the retrieve_menu tool
 * read requests with it, so a model that puts the whole request in {@code query} gets the same filters as one
 * that fills every argument. The phrases that only filter ("under 12", "without meat", "not spicy") leave the
 * text that is embedded: an embedding of "without meat" lies close to the meat dishes.
 */
public record MenuRequest(String semanticText, String category, BigDecimal maxPrice, List<String> tags,
        List<String> excludedTags) {

    private static final Pattern PRICE_LIMIT = Pattern.compile(
            "\\b(?:under|below|less than|cheaper than|max(?:imum)?|up to|at most|no more than)\\s*(?:€|\\$|£|eur\\s*)?"
                    + "\\s*(\\d+(?:[.,]\\d{1,2})?)(?:\\s*(?:€|\\$|£|eur(?:os?)?|dollars?|pounds?|bucks))?|<\\s*(\\d+(?:[.,]\\d{1,2})?)");
    private static final String NEGATION = "(?:not|no|non|without|nothing|isn'?t|aren'?t|never|free of)[\\s-]+(?:too\\s+|very\\s+|so\\s+)?";
    private static final Pattern MEAT_FREE = Pattern.compile(
            "\\b(?:" + NEGATION + "(?:meat|meats)\\b|meat[\\s-]?free\\b|meatless\\b)");
    private static final Pattern GLUTEN_FREE_WORDS = Pattern.compile("\\b" + NEGATION + "gluten\\b");
    private static final Pattern MILD = Pattern.compile("\\bmild\\b");
    /** A word a customer uses, and the catalogue tag it means. */
    private static final Map<String, String> TAG_WORDS = Map.ofEntries(Map.entry("vegetarian", "vegetarian"),
            Map.entry("veggie", "vegetarian"), Map.entry("vegan", "vegan"), Map.entry("plant-based", "vegan"),
            Map.entry("plant based", "vegan"), Map.entry("gluten-free", "gluten-free"),
            Map.entry("gluten free", "gluten-free"), Map.entry("coeliac", "gluten-free"),
            Map.entry("celiac", "gluten-free"), Map.entry("spicy", "spicy"), Map.entry("spice", "spicy"),
            Map.entry("chilli", "spicy"), Map.entry("chili", "spicy"), Map.entry("fiery", "spicy"));

    /** Words for a menu section, and the section as menus commonly name it (the demo menu does). */
    private static final Map<String, String> CATEGORY_WORDS = Map.ofEntries(Map.entry("starter", "starters"),
            Map.entry("appetizer", "starters"), Map.entry("antipasti", "starters"), Map.entry("pizza", "pizza"),
            Map.entry("pasta", "pasta"), Map.entry("salad", "salads"), Map.entry("main", "mains"),
            Map.entry("main course", "mains"), Map.entry("dessert", "desserts"), Map.entry("drink", "drinks"),
            Map.entry("beverage", "drinks"));
    private static final Pattern CATEGORY = Pattern.compile("\\b(" + String.join("|", CATEGORY_WORDS.keySet().stream()
            .sorted((a, b) -> b.length() - a.length()).toList()) + ")(?:e?s)?\\b");

    /** Each tag word's patterns, compiled once: plain, and after a negation ("not spicy"). */
    private record TagWord(String tag, Pattern plain, Pattern negated) {
    }

    private static final List<TagWord> TAG_WORD_PATTERNS = TAG_WORDS.entrySet().stream()
            .map(word -> new TagWord(word.getValue(), Pattern.compile("\\b" + Pattern.quote(word.getKey()) + "\\b"),
                    Pattern.compile("\\b" + NEGATION + Pattern.quote(word.getKey()) + "\\b")))
            .toList();

    public MenuRequest {
        tags = List.copyOf(tags);
        excludedTags = List.copyOf(excludedTags);
    }

    public static MenuRequest read(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        Set<String> tags = new LinkedHashSet<>();
        Set<String> excluded = new LinkedHashSet<>();
        BigDecimal maxPrice = null;

        Matcher price = PRICE_LIMIT.matcher(text);
        if (price.find()) {
            maxPrice = new BigDecimal((price.group(1) != null ? price.group(1) : price.group(2)).replace(',', '.'));
            text = cut(text, price);
        }
        Matcher meatFree = MEAT_FREE.matcher(text);
        if (meatFree.find()) {
            tags.add("vegetarian");
            text = meatFree.replaceAll(" ");
        }
        Matcher glutenFree = GLUTEN_FREE_WORDS.matcher(text);
        if (glutenFree.find()) {
            tags.add("gluten-free");
            text = glutenFree.replaceAll(" ");
        }
        if (MILD.matcher(text).find()) {
            excluded.add("spicy");
        }
        for (TagWord word : TAG_WORD_PATTERNS) {
            Matcher negated = word.negated().matcher(text);
            if (negated.find()) {
                excluded.add(word.tag());
                text = negated.replaceAll(" ");
            } else if (word.plain().matcher(text).find()) {
                tags.add(word.tag());
            }
        }
        excluded.removeAll(tags);
        return new MenuRequest(text.replaceAll("\\s+", " ").strip(), category(text), maxPrice, new ArrayList<>(tags),
                new ArrayList<>(excluded));
    }

    /** The one menu section the words name; none when they name two ("a pizza or a salad") or none. */
    private static String category(String text) {
        Set<String> named = new LinkedHashSet<>();
        Matcher matcher = CATEGORY.matcher(text);
        while (matcher.find()) {
            named.add(CATEGORY_WORDS.get(matcher.group(1)));
        }
        return named.size() == 1 ? named.iterator().next() : null;
    }

    private static String cut(String text, Matcher match) {
        return text.substring(0, match.start()) + " " + text.substring(match.end());
    }
}
