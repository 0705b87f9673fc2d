package dev.ragline.api.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ragline.api.support.Menu;
import dev.ragline.api.support.TestTenants;
import dev.ragline.api.support.TestTenants.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class CatalogueTest {

    @Inject
    TestTenants testTenants;

    TestTenant demo;
    TestTenant globex;
    String demoStaff;
    String globexStaff;

    @BeforeEach
    void tenants() {
        demo = testTenants.create("demo");
        globex = testTenants.create("globex");
        demoStaff = demo.staffToken();
        globexStaff = globex.staffToken();
    }

    @Test
    void staff_create_a_product_that_customers_read_with_an_exact_price() {
        String id = Menu.create(demoStaff, "Margherita", "9.50", "pizza", "vegetarian");

        given().auth().oauth2(demo.customerToken()).get("/v1/products/" + id).then().statusCode(200)
                .body("name", equalTo("Margherita"))
                .body("price", equalTo(9.50f))
                .body("currency", equalTo("EUR"))
                .body("tags", contains("vegetarian"))
                .body("available", equalTo(true))
                .body("created_at", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void the_list_filters_by_text_category_tag_and_max_price() {
        Menu.create(demoStaff, "Diavola", "11.00", "pizza", "spicy");
        Menu.create(demoStaff, "Marinara", "7.00", "pizza", "vegan");
        Menu.create(demoStaff, "Tiramisu", "6.00", "desserts", "vegetarian");
        String customer = demo.customerToken();

        given().auth().oauth2(customer).get("/v1/products?category=pizza").then().statusCode(200)
                .body("total", equalTo(2)).body("items.category", everyItem(equalTo("pizza")));
        given().auth().oauth2(customer).get("/v1/products?tag=vegan").then()
                .body("items.name", contains("Marinara"));
        given().auth().oauth2(customer).get("/v1/products?max_price=7.00").then()
                .body("items.name", contains("Tiramisu", "Marinara"));
        given().auth().oauth2(customer).get("/v1/products?q=diav").then()
                .body("items.name", contains("Diavola"));
        given().auth().oauth2(customer).get("/v1/products?page=1&size=2").then()
                .body("items", hasSize(1)).body("page", equalTo(1)).body("size", equalTo(2)).body("total", equalTo(3));
    }

    @Test
    void a_customer_of_globex_cannot_read_a_demo_product() {
        String id = Menu.create(demoStaff, "Calzone", "12.00", "pizza");

        given().auth().oauth2(globex.customerToken()).get("/v1/products/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(globex.customerToken()).get("/v1/products").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void globex_staff_cannot_update_or_delete_a_demo_product() {
        String id = Menu.create(demoStaff, "Quattro Formaggi", "12.50", "pizza");

        given().auth().oauth2(globexStaff).contentType(ContentType.JSON)
                .body(Menu.product("Stolen", "1.00", "pizza", List.of())).put("/v1/products/" + id)
                .then().statusCode(404);
        given().auth().oauth2(globexStaff).delete("/v1/products/" + id).then().statusCode(404);
        given().auth().oauth2(demo.customerToken()).get("/v1/products/" + id).then().statusCode(200)
                .body("name", equalTo("Quattro Formaggi"));
    }

    @Test
    void customers_cannot_write_products_403() {
        given().auth().oauth2(demo.customerToken()).contentType(ContentType.JSON)
                .body(Menu.product("Free pizza", "0.00", "pizza", List.of())).post("/v1/products")
                .then().statusCode(403);
    }

    @Test
    void a_duplicate_sku_is_a_409_but_another_tenant_may_reuse_it() {
        Map<String, Object> product = Menu.product("Funghi", "10.00", "pizza", List.of());
        Menu.create(demoStaff, product);
        given().auth().oauth2(demoStaff).contentType(ContentType.JSON).body(product).post("/v1/products")
                .then().statusCode(409);
        Menu.create(globexStaff, product);
    }

    @Test
    void an_invalid_product_lists_every_bad_field() {
        given().auth().oauth2(demoStaff).contentType(ContentType.JSON)
                .body(Map.of("sku", "", "name", "X", "price", -1, "currency", "euro", "category", "pizza"))
                .post("/v1/products").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://ragline.dev/problems/validation"))
                .body("errors.field", hasItem("sku")).body("errors.field", hasItem("price"))
                .body("errors.field", hasItem("currency"));
    }

    @Test
    void malformed_json_is_a_400_problem() {
        given().auth().oauth2(demoStaff).contentType(ContentType.JSON).body("{\"sku\": ")
                .post("/v1/products").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://ragline.dev/problems/malformed-json"));
    }

    @Test
    void a_deleted_product_is_gone() {
        String id = Menu.create(demoStaff, "Hawaii", "9.00", "pizza");
        given().auth().oauth2(demoStaff).delete("/v1/products/" + id).then().statusCode(204);
        given().auth().oauth2(demo.customerToken()).get("/v1/products/" + id).then().statusCode(404);
    }
}
