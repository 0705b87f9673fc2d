package dev.ragline.llm.tools;

import java.util.List;
import java.util.Map;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;

/**
 * The chat tools, described once: a provider model receives these specifications, and the offline
 * responder chooses between them by comparing the customer's words with the same descriptions.
 */
public final class ToolCatalog {

    public static final String RETRIEVE_MENU = "retrieve_menu";
    public static final String APPLY_PROMOS = "apply_promos";
    public static final String CONFIRM = "confirm";
    public static final String SEARCH_DOCUMENTS = "search_documents";

    private static final JsonObjectSchema CART = JsonObjectSchema.builder()
            .addProperty("items", JsonArraySchema.builder()
                    .description("the cart lines")
                    .items(JsonObjectSchema.builder()
                            .addProperty("product_id", JsonStringSchema.builder()
                                    .description("id of a product returned by retrieve_menu").build())
                            .addProperty("quantity", JsonIntegerSchema.builder().description("1 to 99").build())
                            .required("product_id", "quantity").build())
                    .build())
            .addStringProperty("promo_code", "a promotion code the customer gave, if any")
            .required("items")
            .build();

    public static final ToolSpecification RETRIEVE_MENU_SPEC = ToolSpecification.builder()
            .name(RETRIEVE_MENU)
            .description("Search the restaurant menu for dishes and drinks the customer asks about or wants "
                    + "to eat, optionally limited to a category, a maximum price and dietary tags such as "
                    + "vegetarian, vegan, gluten-free or spicy. Returns items with id, name, price and tags.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("query", "what the customer is looking for, in plain words")
                    .addStringProperty("category", "a menu category such as pizza, pasta, salads, desserts, drinks")
                    .addProperty("max_price", JsonNumberSchema.builder().description("highest unit price").build())
                    .addProperty("tags", JsonArraySchema.builder().items(JsonStringSchema.builder().build())
                            .description("dietary tags every item must have").build())
                    .addProperty("exclude_tags", JsonArraySchema.builder().items(JsonStringSchema.builder().build())
                            .description("tags no item may have, such as spicy for a customer who wants nothing spicy")
                            .build())
                    .required("query")
                    .build())
            .build();

    public static final ToolSpecification APPLY_PROMOS_SPEC = ToolSpecification.builder()
            .name(APPLY_PROMOS)
            .description("Put dishes with quantities in the customer's cart and price it, applying a promotion "
                    + "or discount code when the customer gives one. Returns the lines, subtotal, discount and "
                    + "total, which must be summarised to the customer before any order is placed.")
            .parameters(CART)
            .build();

    public static final ToolSpecification CONFIRM_SPEC = ToolSpecification.builder()
            .name(CONFIRM)
            .description("Place the order for the cart that was priced and summarised, only once the customer "
                    + "explicitly confirms it, for example: yes, confirm, place the order, go ahead.")
            .parameters(CART)
            .build();

    public static final ToolSpecification SEARCH_DOCUMENTS_SPEC = ToolSpecification.builder()
            .name(SEARCH_DOCUMENTS)
            .description("Search the restaurant's own documents, such as allergen sheets, ingredient lists and "
                    + "policies, for facts the menu does not hold: which allergens or ingredients a dish contains, "
                    + "whether it is safe for an allergy. Returns passages with the title and source of their "
                    + "document, which the answer must cite.")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("query", "the customer's question, in plain words")
                    .required("query")
                    .build())
            .build();

    public static final List<ToolSpecification> ALL = List.of(RETRIEVE_MENU_SPEC, APPLY_PROMOS_SPEC, CONFIRM_SPEC,
            SEARCH_DOCUMENTS_SPEC);

    /** Extra ways customers phrase each tool's request, compared alongside its description. */
    public static final Map<String, List<String>> EXAMPLES = Map.of(
            RETRIEVE_MENU, List.of("What vegetarian dishes do you have under 12 euros?",
                    "Show me the desserts", "Do you have anything spicy?", "I am hungry, what can I eat?"),
            APPLY_PROMOS, List.of("I'll take 2 Margherita and a Caprese salad",
                    "Add one tiramisu to my order with the code WELCOME10", "Apply the promo code WELCOME10",
                    "How much would two pizzas cost?"),
            CONFIRM, List.of("Yes, please confirm the order", "Confirm", "Yes, place the order",
                    "Go ahead and order it"),
            SEARCH_DOCUMENTS, List.of("Does the lasagne contain nuts?", "What are your allergens?",
                    "Is the tiramisu safe for someone with a peanut allergy?",
                    "Which allergens are in the tiramisu?", "Does the pizza dough contain egg or milk?"));

    private ToolCatalog() {
    }
}
