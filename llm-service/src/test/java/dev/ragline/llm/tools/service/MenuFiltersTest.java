package dev.ragline.llm.tools.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.llm.catalogue.CatalogueItem;
import dev.ragline.llm.catalogue.MenuQuery;
import dev.ragline.llm.catalogue.service.MenuRetriever;
import dev.ragline.llm.support.ProductEvents;
import dev.ragline.llm.support.ProductEvents.Product;
import io.quarkus.test.junit.QuarkusTest;

/**
 * retrieve_menu's filters as a customer words them, whether the model spells them out as arguments or leaves them
 * in the query. The menu is the demo restaurant's, cut down: its vegan dishes are tagged vegan only.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MenuFiltersTest {

    private static final UUID TENANT = UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    MenuRetriever menu;

    @BeforeAll
    void seed() {
        List<Product> dishes = List.of(
                Product.of(TENANT, "Penne all'arrabbiata", "Tomato, garlic, chilli", "pasta", "10.50",
                        List.of("vegan", "spicy")),
                Product.of(TENANT, "Spicy nduja crostini", "Calabrian nduja on toasted bread", "starters", "7.50",
                        List.of("spicy")),
                Product.of(TENANT, "Pizza Diavola", "Tomato, mozzarella, spicy salami, chilli", "pizza", "11.50",
                        List.of("spicy")),
                Product.of(TENANT, "Pollo alla diavola", "Spicy grilled chicken, rosemary potatoes", "mains", "16.50",
                        List.of("spicy", "gluten-free")),
                Product.of(TENANT, "Pizza Marinara", "Tomato, garlic, oregano, olive oil", "pizza", "8.00",
                        List.of("vegan")),
                Product.of(TENANT, "Pizza Margherita", "Tomato, fior di latte, basil", "pizza", "9.50",
                        List.of("vegetarian")),
                Product.of(TENANT, "Spaghetti carbonara", "Egg, pecorino, guanciale, black pepper", "pasta", "12.50",
                        List.of()),
                Product.of(TENANT, "Tonnarelli cacio e pepe", "Pecorino and black pepper", "pasta", "11.00",
                        List.of("vegetarian")));
        try (ProductEvents events = new ProductEvents()) {
            dishes.forEach(dish -> events.upserted(dish, 1));
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> menu.retrieve(TENANT, new MenuQuery("food", null, null, List.of(), 20)).size() == dishes.size());
    }

    private List<String> retrieveMenu(ObjectNode arguments) {
        return menu.retrieve(TENANT, ToolArguments.menuQuery(arguments, 10)).stream().map(CatalogueItem::name).toList();
    }

    private static ObjectNode query(String text) {
        return JSON.createObjectNode().put("query", text);
    }

    @Test
    void something_spicy_without_meat_under_12_is_the_arrabbiata_alone() {
        assertThat(retrieveMenu(query("something spicy without meat under 12"))).containsExactly("Penne all'arrabbiata");
    }

    @Test
    void a_vegan_dish_is_found_as_vegetarian_though_it_is_tagged_vegan_only() {
        ObjectNode arguments = query("pizza").put("max_price", 10);
        arguments.putArray("tags").add("vegetarian");

        assertThat(retrieveMenu(arguments)).containsExactlyInAnyOrder("Pizza Marinara", "Pizza Margherita");
    }

    @Test
    void a_customer_who_wants_nothing_spicy_is_shown_no_spicy_dish() {
        List<String> found = retrieveMenu(query("a pasta that is not spicy"));

        assertThat(found).contains("Spaghetti carbonara", "Tonnarelli cacio e pepe")
                .doesNotContain("Penne all'arrabbiata", "Pizza Diavola", "Spicy nduja crostini", "Pollo alla diavola");
    }

    @Test
    void a_model_that_names_the_excluded_tag_as_an_argument_gets_the_same_exclusion() {
        ObjectNode arguments = query("pizza");
        arguments.putArray("exclude_tags").add("spicy");

        assertThat(retrieveMenu(arguments)).contains("Pizza Margherita", "Pizza Marinara").doesNotContain("Pizza Diavola");
    }

    @Test
    void a_pizza_that_is_not_spicy_under_10_is_a_pizza_not_spicy_and_under_10() {
        assertThat(retrieveMenu(query("a pizza that is not spicy under 10"))).containsExactlyInAnyOrder("Pizza Marinara",
                "Pizza Margherita");
    }
}
