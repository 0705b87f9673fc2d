package dev.ragline.llm.catalogue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.llm.catalogue.service.MenuRetriever;
import dev.ragline.llm.support.FakeApiService;
import dev.ragline.llm.support.ProductEvents;
import dev.ragline.llm.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** Staff re-index their tenant's catalogue from api-service's product list. */
@QuarkusTest
class CatalogueRebuildTest {

    @Inject
    MenuRetriever menu;

    @Test
    void a_rebuild_indexes_every_listed_product_and_removes_the_ones_api_service_no_longer_lists() {
        UUID tenant = UUID.randomUUID();
        ProductEvents.Product stale = ProductEvents.Product.of(tenant, "Discontinued Calzone", "Folded pizza",
                "pizza", "10.00", List.of());
        try (ProductEvents events = new ProductEvents()) {
            events.upserted(stale, 1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !search(tenant, "calzone").isEmpty());
        for (int i = 0; i < 25; i++) {
            FakeApiService.instance().add(new FakeApiService.Product(tenant, UUID.randomUUID(), "SKU-" + i,
                    "Dish number " + i, new BigDecimal("5.00").add(BigDecimal.valueOf(i)), "mains",
                    i % 2 == 0 ? List.of("vegetarian") : List.of(), true));
        }
        FakeApiService.instance().add(new FakeApiService.Product(tenant, UUID.randomUUID(), "SKU-PANNA",
                "Panna Cotta", new BigDecimal("6.00"), "desserts", List.of("vegetarian", "gluten-free"), true));

        given().auth().oauth2(Tokens.staffOf(tenant).token()).post("/v1/catalogue/rebuild").then()
                .statusCode(200).body("indexed", equalTo(26)).body("removed", equalTo(1));

        assertThat(search(tenant, "creamy dessert")).first().extracting(CatalogueItem::name).isEqualTo("Panna Cotta");
        assertThat(search(tenant, "calzone")).extracting(CatalogueItem::name).doesNotContain("Discontinued Calzone");
        assertThat(menu.retrieve(tenant, new MenuQuery("dish", null, null, List.of(), 100))).hasSize(26);
    }

    @Test
    void a_customer_may_not_rebuild_the_catalogue() {
        given().auth().oauth2(Tokens.customerOf(UUID.randomUUID()).token()).post("/v1/catalogue/rebuild").then()
                .statusCode(403);
    }

    private List<CatalogueItem> search(UUID tenant, String text) {
        return menu.retrieve(tenant, new MenuQuery(text, null, null, List.of(), 5));
    }
}
