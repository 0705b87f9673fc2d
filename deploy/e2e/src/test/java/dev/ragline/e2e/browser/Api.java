package dev.ragline.e2e.browser;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.ragline.e2e.support.RaglineSystem;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** What the scenarios do besides the browsers, through the same front door: sign in, place an order. */
final class Api {

    private final URI frontDoor;

    Api(URI frontDoor) {
        this.frontDoor = frontDoor;
    }

    JsonPath login(String tenant, String email) {
        return given().baseUri(frontDoor.toString()).contentType(ContentType.JSON)
                .body(Map.of("tenant", tenant, "email", email, "password", RaglineSystem.DEMO_PASSWORD))
                .post("/v1/auth/login")
                .then().statusCode(200).extract().jsonPath();
    }

    String token(String tenant, String email) {
        return login(tenant, email).getString("access_token");
    }

    /** The id of a product of the caller's tenant, found by name. */
    String productId(String token, String name) {
        List<Map<String, Object>> items = given().baseUri(frontDoor.toString()).auth().oauth2(token)
                .queryParam("q", name).queryParam("size", 20)
                .get("/v1/products").then().statusCode(200).extract().jsonPath().getList("items");
        return items.stream().filter(item -> name.equals(item.get("name"))).findFirst()
                .map(item -> (String) item.get("id"))
                .orElseThrow(() -> new AssertionError("no product named " + name));
    }

    /** Places an order of one product; returns the order's id. */
    String placeOrder(String token, String productId, int quantity) {
        return given().baseUri(frontDoor.toString()).auth().oauth2(token).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("items", List.of(Map.of("product_id", productId, "quantity", quantity))))
                .post("/v1/orders")
                .then().statusCode(201).extract().jsonPath().getString("id");
    }

    void logout(String refreshToken) {
        given().baseUri(frontDoor.toString()).contentType(ContentType.JSON)
                .body(Map.of("refresh_token", refreshToken))
                .post("/v1/auth/logout").then().statusCode(204);
    }
}
