package dev.ragline.llm.chat.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls a cart and a promotion code out of a customer's message with plain parsing: no model involved. Menu
 * filters are read by {@link dev.ragline.llm.catalogue.MenuRequest}, which retrieve_menu shares.
 */
final class RequestParser {

    /** "2 margherita" → quantity 2, words "margherita". */
    record Mention(int quantity, String words) {
    }

    private static final Pattern PROMO = Pattern.compile(
            "(?:code|promo(?:tion)?(?:\\s+code)?|coupon|voucher)\\s*:?\\s*([A-Za-z0-9_-]{3,32})", Pattern.CASE_INSENSITIVE);
    private static final Pattern SHOUTED_CODE = Pattern.compile("\\b([A-Z]{3,}[0-9]{1,4})\\b");
    private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(Map.entry("a", 1), Map.entry("an", 1),
            Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4),
            Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8),
            Map.entry("nine", 9), Map.entry("ten", 10));
    private static final Set<String> FILLER = Set.of("i", "i'd", "i'll", "id", "ill", "we", "we'd", "we'll", "like",
            "want", "take", "have", "get", "please", "add", "order", "with", "of", "the", "x", "and", "also", "plus",
            "would", "could", "can", "me", "us", "my", "our", "for", "to", "some", "apply", "use", "cart",
            "portion", "portions", "promo", "code", "coupon", "voucher", "then", "just", "let's", "lets");

    static Optional<String> promoCode(String message) {
        Matcher named = PROMO.matcher(message);
        while (named.find()) {
            String code = named.group(1);
            if (code.chars().anyMatch(Character::isDigit) || code.equals(code.toUpperCase(Locale.ROOT))) {
                return Optional.of(code.toUpperCase(Locale.ROOT));
            }
        }
        Matcher shouted = SHOUTED_CODE.matcher(message);
        return shouted.find() ? Optional.of(shouted.group(1)) : Optional.empty();
    }

    /** The dishes a message asks for, each with its quantity (1 when none is given). */
    static List<Mention> mentions(String message) {
        String text = message;
        Optional<String> code = promoCode(message);
        if (code.isPresent()) {
            text = text.replaceAll("(?i)" + Pattern.quote(code.get()), " ");
        }
        List<Mention> mentions = new ArrayList<>();
        for (String segment : text.toLowerCase(Locale.ROOT).split(",|;|\\band\\b|&|\\+|\\bplus\\b|\\.")) {
            int quantity = 1;
            boolean quantityFound = false;
            List<String> words = new ArrayList<>();
            for (String word : segment.strip().split("\\s+")) {
                String clean = word.replaceAll("[^a-z0-9'-]", "");
                if (clean.isEmpty()) {
                    continue;
                }
                if (!quantityFound && clean.matches("\\d{1,2}x?")) {
                    quantity = Integer.parseInt(clean.replace("x", ""));
                    quantityFound = true;
                } else if (!quantityFound && NUMBER_WORDS.containsKey(clean)) {
                    quantity = NUMBER_WORDS.get(clean);
                    quantityFound = true;
                } else if (!FILLER.contains(clean)) {
                    words.add(clean);
                }
            }
            if (!words.isEmpty()) {
                mentions.add(new Mention(quantity, String.join(" ", words)));
            }
        }
        return mentions;
    }

    private RequestParser() {
    }
}
