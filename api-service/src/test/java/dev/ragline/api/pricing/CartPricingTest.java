package dev.ragline.api.pricing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

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
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class CartPricingTest {

    @Inject
    TestTenants testTenants;

    TestTenant demo;
    String admin;
    String customer;
    String pizza;
    String soda;

    @BeforeEach
    void menu() {
        demo = testTenants.create("pricing");
        admin = demo.adminToken();
        customer = demo.customerToken();
        pizza = Menu.create(admin, "Margherita", "9.50", "pizza", "vegetarian");
        soda = Menu.create(admin, "Lemon soda", "3.25", "drinks", "vegan");
        promotion(Map.of("code", "WELCOME10", "kind", "percent", "amount", 10, "min_subtotal", 20));
    }

    @Test
    void a_cart_is_priced_line_by_line_with_a_percentage_promotion() {
        price(Map.of("items", List.of(item(pizza, 2), item(soda, 1)), "promo_code", "welcome10")).statusCode(200)
                .body("lines[0].unit_price", equalTo(9.50f)).body("lines[0].line_total", equalTo(19.00f))
                .body("subtotal", equalTo(22.25f)).body("discount", equalTo(2.23f)).body("total", equalTo(20.02f))
                .body("currency", equalTo("EUR")).body("promo_code", equalTo("WELCOME10"))
                .body("promo_applied", equalTo(true)).body("promo_rejection", nullValue());
    }

    @Test
    void a_promotion_below_its_minimum_subtotal_does_not_apply_and_says_why() {
        price(Map.of("items", List.of(item(pizza, 1)), "promo_code", "WELCOME10")).statusCode(200)
                .body("discount", equalTo(0.00f)).body("total", equalTo(9.50f))
                .body("promo_applied", equalTo(false))
                .body("promo_rejection", equalTo("subtotal is below the minimum of 20.00"));
    }

    @Test
    void a_fixed_amount_promotion_limited_to_a_category_discounts_only_that_category() {
        promotion(Map.of("code", "DRINKS2", "kind", "fixed", "amount", 2, "category", "drinks"));
        price(Map.of("items", List.of(item(pizza, 1), item(soda, 1)), "promo_code", "DRINKS2")).statusCode(200)
                .body("discount", equalTo(2.00f)).body("total", equalTo(10.75f));
    }

    @Test
    void an_expired_or_unknown_code_is_rejected_with_a_reason() {
        promotion(Map.of("code", "OLD", "kind", "percent", "amount", 50, "valid_until", "2020-01-01T00:00:00Z"));
        price(Map.of("items", List.of(item(pizza, 3)), "promo_code", "OLD")).statusCode(200)
                .body("promo_applied", equalTo(false))
                .body("promo_rejection", org.hamcrest.Matchers.startsWith("promotion expired"));
        price(Map.of("items", List.of(item(pizza, 3)), "promo_code", "NOPE")).statusCode(200)
                .body("promo_rejection", equalTo("unknown promotion code"));
    }

    @Test
    void an_unavailable_product_is_a_422_naming_the_item() {
        var unavailable = Menu.product("Sold out", "5.00", "pizza", List.of());
        unavailable.put("available", false);
        String soldOut = Menu.create(admin, unavailable);
        price(Map.of("items", List.of(item(pizza, 1), item(soldOut, 1)))).statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("items[1].product_id"));
    }

    @Test
    void another_tenants_product_is_a_422_like_a_missing_one() {
        TestTenant globex = testTenants.create("globex");
        String theirs = Menu.create(globex.staffToken(), "Globex burger", "8.00", "mains");
        price(Map.of("items", List.of(item(theirs, 1)))).statusCode(422)
                .body("errors[0].field", equalTo("items[0].product_id"))
                .body("errors[0].message", equalTo("product " + theirs + " does not exist"));
    }

    @Test
    void a_quantity_outside_1_to_99_is_a_400_naming_the_item() {
        price(Map.of("items", List.of(item(pizza, 0), item(soda, 100)))).statusCode(400)
                .body("errors.field", hasItem("items[0].quantity")).body("errors.field", hasItem("items[1].quantity"));
    }

    @Test
    void customers_cannot_manage_promotions_403() {
        given().auth().oauth2(customer).get("/v1/promotions").then().statusCode(403);
    }

    @Test
    void another_tenants_admin_cannot_see_or_change_a_promotion() {
        String id = promotion(Map.of("code", "SECRET", "kind", "percent", "amount", 5));
        String otherAdmin = testTenants.create("globex").adminToken();
        given().auth().oauth2(otherAdmin).get("/v1/promotions/" + id).then().statusCode(404);
        given().auth().oauth2(otherAdmin).delete("/v1/promotions/" + id).then().statusCode(404);
        given().auth().oauth2(admin).get("/v1/promotions/" + id).then().statusCode(200).body("code", equalTo("SECRET"));
    }

    private String promotion(Map<String, Object> body) {
        return given().auth().oauth2(admin).contentType(ContentType.JSON).body(body).post("/v1/promotions")
                .then().statusCode(201).extract().path("id");
    }

    private ValidatableResponse price(Map<String, Object> cart) {
        return given().auth().oauth2(customer).contentType(ContentType.JSON).body(cart).post("/v1/carts/price").then();
    }

    static Map<String, Object> item(String productId, int quantity) {
        return Map.of("product_id", productId, "quantity", quantity);
    }
}
