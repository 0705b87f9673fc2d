package dev.ragline.llm.tools.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ragline.llm.catalogue.MenuQuery;
import dev.ragline.llm.chat.memory.PendingCart.CartLine;

/**
 * Reads tool arguments written by a model, leniently in form (numbers as strings, tags as a list or
 * a comma list) and strictly in meaning. Only the documented fields are read: a tenant or user named in
 * the arguments is never looked at.
 */
final class ToolArguments {

    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    static MenuQuery menuQuery(JsonNode arguments, int limit) {
        BigDecimal maxPrice = null;
        JsonNode price = arguments.path("max_price");
        if (!price.isMissingNode() && !price.isNull() && !price.asText().isBlank()) {
            try {
                maxPrice = new BigDecimal(price.asText().replaceAll("[^0-9.]", ""));
            } catch (NumberFormatException e) {
                throw new Invalid("max_price must be a number");
            }
        }
        List<String> tags = new ArrayList<>();
        JsonNode tagNode = arguments.path("tags");
        if (tagNode.isArray()) {
            tagNode.forEach(tag -> tags.add(tag.asText()));
        } else if (tagNode.isTextual() && !tagNode.asText().isBlank()) {
            tags.addAll(List.of(tagNode.asText().split("\\s*,\\s*")));
        }
        return new MenuQuery(arguments.path("query").asText(""), text(arguments, "category"), maxPrice, tags, limit);
    }

    /** search_documents' query: required, and bounded like ingest-service's own limit. */
    static String documentQuery(JsonNode arguments) {
        String query = arguments.path("query").asText("").strip();
        if (query.isEmpty()) {
            throw new Invalid("query must say what to look for in the restaurant's documents");
        }
        return query.length() > 1000 ? query.substring(0, 1000) : query;
    }

    static List<CartLine> cart(JsonNode arguments) {
        JsonNode items = arguments.path("items");
        if (!items.isArray() || items.isEmpty()) {
            throw new Invalid("items must list at least one product_id with a quantity");
        }
        if (items.size() > 50) {
            throw new Invalid("a cart holds at most 50 lines");
        }
        List<CartLine> lines = new ArrayList<>();
        for (JsonNode item : items) {
            String productId = item.path("product_id").asText("");
            try {
                productId = UUID.fromString(productId).toString();
            } catch (IllegalArgumentException e) {
                throw new Invalid("product_id " + productId + " is not a product id from retrieve_menu");
            }
            int quantity = item.path("quantity").asInt(0);
            if (quantity < 1 || quantity > 99) {
                throw new Invalid("quantity of " + productId + " must be between 1 and 99");
            }
            lines.add(new CartLine(productId, quantity));
        }
        return lines;
    }

    static String promoCode(JsonNode arguments) {
        String code = text(arguments, "promo_code");
        return code == null ? null : code.toUpperCase(Locale.ROOT);
    }

    private static String text(JsonNode arguments, String field) {
        JsonNode value = arguments.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText().strip() : null;
    }

    private ToolArguments() {
    }
}
