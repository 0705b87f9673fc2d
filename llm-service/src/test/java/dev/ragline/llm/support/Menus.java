package dev.ragline.llm.support;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.ragline.llm.catalogue.MenuQuery;
import dev.ragline.llm.catalogue.service.MenuRetriever;

/**
 * A small restaurant menu for one tenant, published as product events (so llm-service indexes it from
 * Kafka) and known to the fake api-service (so pricing and orders see the same products).
 */
public final class Menus {

    public static final List<ProductEvents.Product> dishes(UUID tenant) {
        return List.of(
                ProductEvents.Product.of(tenant, "Margherita", "Tomato, mozzarella and basil", "pizza", "9.50",
                        List.of("vegetarian")),
                ProductEvents.Product.of(tenant, "Caprese Salad", "Tomato, mozzarella and basil leaves", "salads",
                        "8.00", List.of("vegetarian", "gluten-free")),
                ProductEvents.Product.of(tenant, "Spicy Salami Pizza", "Tomato, mozzarella, hot salami", "pizza",
                        "11.50", List.of("spicy")),
                ProductEvents.Product.of(tenant, "Truffle Risotto", "Arborio rice, black truffle, parmesan", "mains",
                        "19.00", List.of("vegetarian", "gluten-free")),
                ProductEvents.Product.of(tenant, "Grilled Salmon", "Salmon fillet with lemon and greens", "mains",
                        "17.50", List.of("gluten-free")),
                ProductEvents.Product.of(tenant, "Vegan Buddha Bowl", "Quinoa, chickpeas, avocado and tahini",
                        "salads", "11.00", List.of("vegan", "vegetarian", "gluten-free")),
                ProductEvents.Product.of(tenant, "Tiramisu", "Coffee, mascarpone and cocoa", "desserts", "6.50",
                        List.of("vegetarian")),
                ProductEvents.Product.of(tenant, "Lemonade", "Fresh lemons and mint", "drinks", "3.50",
                        List.of("vegan", "vegetarian", "gluten-free")));
    }

    /** Publishes and registers the menu and waits until it is searchable; returns product ids by name. */
    public static Map<String, UUID> seed(UUID tenant, MenuRetriever retriever) {
        Map<String, UUID> ids = new LinkedHashMap<>();
        try (ProductEvents events = new ProductEvents()) {
            for (ProductEvents.Product dish : dishes(tenant)) {
                events.upserted(dish, 1);
                FakeApiService.instance().add(new FakeApiService.Product(tenant, dish.id(), dish.sku(), dish.name(),
                        new BigDecimal(dish.price()), dish.category(), dish.tags(), dish.available()));
                ids.put(dish.name(), dish.id());
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> retriever.retrieve(tenant,
                new MenuQuery("food", null, null, List.of(), 20)).size() == ids.size());
        return ids;
    }

    private Menus() {
    }
}
