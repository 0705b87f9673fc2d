package dev.ragline.llm.tools.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ragline.llm.catalogue.MenuQuery;
import dev.ragline.llm.catalogue.MenuRequest;
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

    /**
     * Explicit arguments win; what the query text says on top of them (a price limit, diets, "not spicy") is
     * read by {@link MenuRequest}, so a model that leaves the filters in {@code query} gets them all the same.
     */
    static MenuQuery menuQuery(JsonNode arguments, int limit) {
        MenuRequest request = MenuRequest.read(arguments.path("query").asText(""));
        BigDecimal maxPrice = request.maxPrice();
        JsonNode price = arguments.path("max_price");
        if (!price.isMissingNode() && !price.isNull() && !price.asText().isBlank()) {
            try {
                maxPrice = new BigDecimal(price.asText().replaceAll("[^0-9.]", ""));
            } catch (NumberFormatException e) {
                throw new Invalid("max_price must be a number");
            }
        }
        List<String> tags = new ArrayList<>(tagList(arguments.path("tags")));
        tags.addAll(request.tags());
        List<String> excluded = new ArrayList<>(tagList(arguments.path("exclude_tags")));
        excluded.addAll(request.excludedTags());
        String category = text(arguments, "category");
        return new MenuQuery(request.semanticText(), category != null ? category : request.category(), maxPrice, tags,
                excluded, limit);
    }

    /** Tags as a JSON list or as one comma-separated string. */
    private static List<String> tagList(JsonNode node) {
        List<String> tags = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(tag -> tags.add(tag.asText()));
        } else if (node.isTextual() && !node.asText().isBlank()) {
            tags.addAll(List.of(node.asText().split("\\s*,\\s*")));
        }
        return tags;
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
