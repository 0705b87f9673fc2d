package dev.ragline.llm.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ragline.llm.catalogue.service.MenuRetriever;
import dev.ragline.llm.common.TenantTransactions;
import dev.ragline.llm.support.ProductEvents;
import dev.ragline.llm.support.ProductEvents.Product;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;

/** Product events from Kafka keep each tenant's searchable menu current. */
@QuarkusTest
class CatalogueIndexTest {

    private static final Duration INDEXED = Duration.ofSeconds(30);

    static ProductEvents events;

    @Inject
    MenuRetriever menu;

    @Inject
    TenantTransactions transactions;

    @ConfigProperty(name = "quarkus.datasource.migration.jdbc.url")
    String migrationUrl;

    @ConfigProperty(name = "quarkus.datasource.migration.username")
    String migrationUser;

    @ConfigProperty(name = "quarkus.datasource.migration.password")
    String migrationPassword;

    @BeforeAll
    static void connect() {
        events = new ProductEvents();
    }

    @AfterAll
    static void disconnect() {
        events.close();
    }

    private List<CatalogueItem> search(UUID tenant, String text, String maxPrice, List<String> tags) {
        return menu.retrieve(tenant, new MenuQuery(text, null, maxPrice == null ? null : new BigDecimal(maxPrice),
                tags, 10));
    }

    private static List<String> names(List<CatalogueItem> items) {
        return items.stream().map(CatalogueItem::name).toList();
    }

    @Test
    void a_new_product_becomes_searchable_by_meaning_within_seconds() {
        UUID tenant = UUID.randomUUID();
        Product pizza = Product.of(tenant, "Margherita", "Tomato, mozzarella and basil on a thin crust", "pizza",
                "9.50", List.of("vegetarian"));
        Product tiramisu = Product.of(tenant, "Tiramisu", "Coffee-soaked ladyfingers with mascarpone cream",
                "desserts", "6.00", List.of("vegetarian"));
        events.upserted(pizza, 1);
        events.upserted(tiramisu, 1);

        await().atMost(INDEXED).until(() -> search(tenant, "something sweet with coffee", null, List.of()).size() == 2);
        assertThat(names(search(tenant, "something sweet with coffee", null, List.of())).getFirst())
                .isEqualTo("Tiramisu");
        assertThat(names(search(tenant, "cheese and tomato flatbread", null, List.of())).getFirst())
                .isEqualTo("Margherita");
    }

    @Test
    void price_tag_and_availability_filters_are_exact() {
        UUID tenant = UUID.randomUUID();
        Product cheapVeggie = Product.of(tenant, "Caprese Salad", "Tomato and mozzarella", "salads", "8.00",
                List.of("vegetarian", "gluten-free"));
        Product dearVeggie = Product.of(tenant, "Truffle Risotto", "Arborio rice with black truffle", "mains",
                "24.00", List.of("vegetarian"));
        Product meat = Product.of(tenant, "Beef Burger", "Grilled beef patty", "mains", "11.00", List.of());
        Product soldOut = Product.of(tenant, "Veggie Lasagne", "Layers of pasta and vegetables", "pasta", "10.00",
                List.of("vegetarian")).unavailable();
        events.upserted(cheapVeggie, 1);
        events.upserted(dearVeggie, 1);
        events.upserted(meat, 1);
        events.upserted(soldOut, 1);

        await().atMost(INDEXED).until(() -> search(tenant, "food", null, List.of()).size() == 3);
        assertThat(names(search(tenant, "food", "15", List.of("Vegetarian")))).containsExactly("Caprese Salad");
        assertThat(names(search(tenant, "food", null, List.of("vegetarian"))))
                .containsExactlyInAnyOrder("Caprese Salad", "Truffle Risotto");
        assertThat(names(search(tenant, "food", null, List.of("gluten free")))).containsExactly("Caprese Salad");
    }

    @Test
    void a_deleted_product_disappears_and_a_late_older_upsert_cannot_bring_it_back() {
        UUID tenant = UUID.randomUUID();
        Product soup = Product.of(tenant, "Minestrone", "Vegetable soup", "starters", "6.50", List.of("vegan"));
        Product bread = Product.of(tenant, "Garlic Bread", "Toasted bread with garlic butter", "starters", "4.00",
                List.of("vegetarian"));
        events.upserted(soup, 1);
        events.upserted(bread, 1);
        await().atMost(INDEXED).until(() -> search(tenant, "soup", null, List.of()).size() == 2);

        events.deleted(soup, 2);
        events.upserted(soup, 1);
        events.upserted(bread.withPrice("4.50"), 2);

        await().atMost(INDEXED).until(() -> search(tenant, "bread", null, List.of()).getFirst().price()
                .compareTo(new BigDecimal("4.50")) == 0);
        assertThat(names(search(tenant, "soup", null, List.of()))).containsExactly("Garlic Bread");
    }

    @Test
    void a_redelivered_event_is_applied_once_and_an_older_version_never_overwrites_a_newer_one() {
        UUID tenant = UUID.randomUUID();
        Product pasta = Product.of(tenant, "Penne Arrabbiata", "Penne in a spicy tomato sauce", "pasta", "12.00",
                List.of("vegan", "spicy"));
        events.upserted(pasta, 2);
        UUID deletion = events.deleted(pasta, 3);
        await().atMost(INDEXED).until(() -> search(tenant, "pasta", null, List.of()).isEmpty());

        events.upserted(pasta.withPrice("13.00"), 4);
        await().atMost(INDEXED).until(() -> search(tenant, "pasta", null, List.of()).size() == 1);
        events.redeliver(deletion, pasta, "product_deleted", 3);
        events.upserted(pasta.withPrice("11.00"), 2);
        Product marker = Product.of(tenant, "Marker", "Sent last to know the earlier events were consumed", "x",
                "1.00", List.of());
        events.upserted(marker, 1);

        await().atMost(INDEXED).until(() -> search(tenant, "marker", null, List.of()).size() == 2);
        List<CatalogueItem> found = search(tenant, "pasta", null, List.of("spicy"));
        assertThat(found).singleElement().satisfies(item -> assertThat(item.price()).isEqualByComparingTo("13.00"));
    }

    @Test
    void a_tenant_past_the_threshold_is_searched_through_its_own_vector_index_with_exact_filters() throws Exception {
        UUID big = UUID.randomUUID();
        UUID small = UUID.randomUUID();
        for (int i = 0; i < 34; i++) {
            events.upserted(Product.of(big, "Grilled Plate " + i, "Grilled meat and vegetables number " + i, "mains",
                    String.valueOf(14 + i), List.of()), 1);
        }
        events.upserted(Product.of(big, "Tiramisu", "Coffee-soaked ladyfingers with mascarpone cream", "desserts",
                "6.00", List.of("vegetarian")), 1);
        events.upserted(Product.of(big, "Margherita", "Tomato, mozzarella and basil", "pizza", "9.50",
                List.of("vegetarian")), 1);
        events.upserted(Product.of(small, "Small Tiramisu", "Coffee and mascarpone", "desserts", "5.00", List.of()), 1);
        String bigIndex = "catalogue_items_hnsw_" + big.toString().replace("-", "");
        try {
            await().atMost(INDEXED).until(() -> search(big, "food", null, List.of()).size() == 10
                    && search(small, "food", null, List.of()).size() == 1 && indexExists(bigIndex));

            assertThat(indexExists("catalogue_items_hnsw_" + small.toString().replace("-", ""))).isFalse();
            assertThat(names(search(big, "something sweet with coffee", null, List.of())).getFirst())
                    .isEqualTo("Tiramisu");
            assertThat(names(search(big, "food", "10", List.of("vegetarian"))))
                    .containsExactlyInAnyOrder("Tiramisu", "Margherita");
            assertThat(names(search(small, "grilled meat plate", null, List.of()))).containsExactly("Small Tiramisu");
        } finally {
            try (Connection owner = DriverManager.getConnection(migrationUrl, migrationUser, migrationPassword);
                    Statement statement = owner.createStatement()) {
                statement.execute("DROP INDEX IF EXISTS llm." + bigIndex);
            }
        }
    }

    private boolean indexExists(String name) {
        return transactions.inTenant(UUID.randomUUID(), connection -> connection
                .preparedQuery("SELECT count(*) AS found FROM pg_indexes WHERE schemaname = 'llm' AND indexname = $1")
                .execute(Tuple.of(name)).map(rows -> rows.iterator().next().getLong("found") == 1));
    }

    @Test
    void retrieval_never_returns_another_tenants_products() {
        UUID demo = UUID.randomUUID();
        UUID globex = UUID.randomUUID();
        events.upserted(Product.of(globex, "Globex Secret Pizza", "Only for Globex", "pizza", "9.00",
                List.of("vegetarian")), 1);
        Product demoPizza = Product.of(demo, "Demo Pizza", "Tomato and cheese", "pizza", "9.00", List.of());
        events.upserted(demoPizza, 1);

        await().atMost(INDEXED).until(() -> search(globex, "pizza", null, List.of()).size() == 1
                && search(demo, "pizza", null, List.of()).size() == 1);
        assertThat(names(search(demo, "Globex Secret Pizza", null, List.of()))).containsExactly("Demo Pizza");
    }
}
