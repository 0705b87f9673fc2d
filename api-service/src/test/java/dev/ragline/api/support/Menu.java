package dev.ragline.api.support;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

/** Creates products through the API, as staff do. */
public final class Menu {

    public static Map<String, Object> product(String name, String price, String category, List<String> tags) {
        Map<String, Object> body = new HashMap<>();
        body.put("sku", name.toUpperCase().replace(' ', '-') + "-" + UUID.randomUUID().toString().substring(0, 6));
        body.put("name", name);
        body.put("description", name + ", made fresh");
        body.put("price", new java.math.BigDecimal(price));
        body.put("currency", "EUR");
        body.put("category", category);
        body.put("tags", tags);
        body.put("available", true);
        return body;
    }

    public static String create(String staffToken, Map<String, Object> product) {
        return given().auth().oauth2(staffToken).contentType(ContentType.JSON).body(product)
                .post("/v1/products").then().statusCode(201).extract().path("id");
    }

    public static String create(String staffToken, String name, String price, String category, String... tags) {
        return create(staffToken, product(name, price, category, List.of(tags)));
    }

    private Menu() {
    }
}
