package dev.ragline.llm.chat.offline;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ragline.llm.tools.ToolOutcome;

/** The offline responder's answers: fixed sentences filled from tool results, never invented facts. */
final class AnswerTemplates {

    static String menu(ToolOutcome outcome, List<String> tags, BigDecimal maxPrice) {
        if (!outcome.ok()) {
            return failure("search the menu", outcome);
        }
        String filters = (tags.isEmpty() ? "" : " (" + String.join(", ", tags) + ")")
                + (maxPrice == null ? "" : " under " + money(maxPrice));
        JsonNode items = outcome.result().path("items");
        if (items.isEmpty()) {
            return "I found nothing on the menu matching that" + filters
                    + ". Try other words, fewer filters or a higher price limit.";
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode item : items) {
            String tagList = item.path("tags").isEmpty() ? "" : ", " + joined(item.path("tags"));
            lines.add(item.path("name").asText() + " (" + money(item.path("price").decimalValue()) + " "
                    + item.path("currency").asText() + tagList + ")");
        }
        return "Here is what I found" + filters + ": " + String.join("; ", lines)
                + ". Tell me what you would like and how many, with a promo code if you have one.";
    }

    static String priced(ToolOutcome outcome) {
        if (!outcome.ok()) {
            return failure("price that cart", outcome);
        }
        JsonNode cart = outcome.result();
        List<String> lines = new ArrayList<>();
        for (JsonNode line : cart.path("lines")) {
            lines.add(line.path("quantity").asInt() + " x " + line.path("name").asText() + " ("
                    + money(line.path("line_total").decimalValue()) + ")");
        }
        String currency = " " + cart.path("currency").asText("");
        StringBuilder answer = new StringBuilder("Your cart: ").append(String.join(", ", lines))
                .append(". Subtotal ").append(money(cart.path("subtotal").decimalValue())).append(currency);
        if (cart.path("promo_applied").asBoolean(false)) {
            answer.append(", discount ").append(money(cart.path("discount").decimalValue())).append(currency)
                    .append(" with ").append(cart.path("promo_code").asText());
        } else if (!cart.path("promo_code").isNull() && !cart.path("promo_code").asText("").isEmpty()) {
            answer.append(". The code ").append(cart.path("promo_code").asText()).append(" did not apply: ")
                    .append(cart.path("promo_rejection").asText("it is not valid for this cart"));
        }
        return answer.append(", total ").append(money(cart.path("total").decimalValue())).append(currency)
                .append(". Reply \"confirm\" to place this order.").toString();
    }

    static String confirmed(ToolOutcome outcome) {
        if (!outcome.ok()) {
            return outcome.outcome().equals(ToolOutcome.REJECTED)
                    ? "I have not placed any order: " + outcome.error()
                    : failure("place the order", outcome);
        }
        JsonNode order = outcome.result();
        return "Your order " + order.path("id").asText() + " is placed, total "
                + money(order.path("total").decimalValue()) + " " + order.path("currency").asText("")
                + ". Thank you!";
    }

    /** Quotes the best passage and cites its document; never answers an allergen question from nothing. */
    static String documents(ToolOutcome outcome) {
        if (!outcome.ok()) {
            return outcome.outcome().equals(ToolOutcome.REJECTED)
                    ? "I could not search the restaurant's documents: " + outcome.error()
                    : "I cannot look at the restaurant's documents (such as the allergen sheet) right now, so I "
                            + "cannot answer that reliably; please ask the staff.";
        }
        JsonNode passages = outcome.result().path("passages");
        if (passages.isEmpty()) {
            return "I found nothing about that in the restaurant's documents; please ask the staff to be sure.";
        }
        JsonNode best = passages.get(0);
        String text = best.path("text").asText().strip().replaceAll("\\s+", " ");
        if (text.length() > 400) {
            int cut = text.lastIndexOf(' ', 400);
            text = text.substring(0, cut > 200 ? cut : 400) + " …";
        }
        String source = best.path("source").asText("");
        return "From \"" + best.path("title").asText("a restaurant document") + "\""
                + (source.isEmpty() ? "" : " (" + source + ")") + ": \"" + text + "\"";
    }

    static String askForItems() {
        return "Which dishes would you like, and how many? Ask me for the menu first if you like, "
                + "for example: vegetarian dishes under 12.";
    }

    private static String failure(String what, ToolOutcome outcome) {
        return outcome.outcome().equals(ToolOutcome.REJECTED)
                ? "I could not " + what + ": " + outcome.error()
                : "Sorry, I could not " + what + " right now; please try again in a moment.";
    }

    private static String money(BigDecimal amount) {
        return amount == null ? "?" : amount.setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String joined(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return String.join(", ", values);
    }

    private AnswerTemplates() {
    }
}
