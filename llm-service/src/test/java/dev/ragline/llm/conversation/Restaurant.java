package dev.ragline.llm.conversation;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/**
 * A fresh tenant of a running api-service, set up only through its public API, as deploy/local/demo-data.sh
 * does: the tenant and its admin (by a platform admin), a staff member, a customer, products and a promotion.
 */
final class Restaurant {

    static final String PASSWORD = "e2e-correct-horse-battery";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A product as created, with the facts the conversation is checked against. */
    record Dish(UUID id, String name, BigDecimal price, List<String> tags) {

        boolean vegetarian() {
            return tags.contains("vegetarian");
        }
    }

    private final URI api;
    private final UUID tenantId;
    private final String slug;
    private final String adminToken;
    private final Map<String, Dish> menu = new LinkedHashMap<>();

    private Restaurant(URI api, UUID tenantId, String slug, String adminToken) {
        this.api = api;
        this.tenantId = tenantId;
        this.slug = slug;
        this.adminToken = adminToken;
    }

    /** Opens a restaurant with a unique slug, its admin created with the tenant, plus a staff member and a customer. */
    static Restaurant open(URI api) {
        String slug = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode tenant = JSON.createObjectNode().put("slug", slug).put("name", "E2E Trattoria " + slug)
                .put("admin_email", "admin@" + slug + ".test").put("admin_password", PASSWORD);
        JsonNode created = call(api, "POST", "/v1/tenants", platformAdminToken(), tenant, 201);
        Restaurant restaurant = new Restaurant(api, UUID.fromString(created.path("id").asText()), slug,
                login(api, slug, "admin@" + slug + ".test"));
        for (String role : List.of("staff", "customer")) {
            ObjectNode user = JSON.createObjectNode().put("email", role + "@" + slug + ".test").put("password", PASSWORD);
            user.putArray("roles").add(role);
            call(api, "POST", "/v1/users", restaurant.adminToken, user, 201);
        }
        return restaurant;
    }

    UUID tenantId() {
        return tenantId;
    }

    String staffToken() {
        return login(api, slug, "staff@" + slug + ".test");
    }

    String customerToken() {
        return login(api, slug, "customer@" + slug + ".test");
    }

    Dish addDish(String sku, String name, String category, String price, String... tags) {
        ObjectNode product = JSON.createObjectNode().put("sku", sku).put("name", name).put("category", category)
                .put("description", name + ", made in house").put("price", new BigDecimal(price)).put("currency", "EUR")
                .put("available", true);
        List.of(tags).forEach(product.putArray("tags")::add);
        JsonNode created = call(api, "POST", "/v1/products", adminToken, product, 201);
        Dish dish = new Dish(UUID.fromString(created.path("id").asText()), name, new BigDecimal(price), List.of(tags));
        menu.put(name, dish);
        return dish;
    }

    void addPercentPromotion(String code, int percent, String minSubtotal) {
        ObjectNode promotion = JSON.createObjectNode().put("code", code).put("kind", "percent").put("amount", percent)
                .put("min_subtotal", new BigDecimal(minSubtotal));
        call(api, "POST", "/v1/promotions", adminToken, promotion, 201);
    }

    Map<String, Dish> menu() {
        return menu;
    }

    JsonNode me(String token) {
        return call(api, "GET", "/v1/users/me", token, null, 200);
    }

    JsonNode order(String token, String orderId) {
        return call(api, "GET", "/v1/orders/" + orderId, token, null, 200);
    }

    private static String login(URI api, String slug, String email) {
        ObjectNode body = JSON.createObjectNode().put("tenant", slug).put("email", email).put("password", PASSWORD);
        return call(api, "POST", "/v1/auth/login", null, body, 200).path("access_token").asText();
    }

    /**
     * Nobody can create the first tenant through the API; demo-data.sh writes a platform admin into the
     * database. The scenario instead signs a platform_admin token with the dev key, as login would.
     */
    private static String platformAdminToken() {
        try {
            String pem = Files.readString(Path.of("../.ragline/keys/jwt-private.pem"));
            String userId = UUID.randomUUID().toString();
            return Jwt.issuer("https://ragline.dev").subject(userId).upn("platform@e2e.test")
                    .claim("tenant_id", UUID.randomUUID().toString()).claim("user_id", userId)
                    .claim("roles", List.of("platform_admin")).groups(Set.of("platform_admin")).expiresIn(1800)
                    .sign(KeyUtils.decodePrivateKey(pem));
        } catch (Exception e) {
            throw new IllegalStateException("The dev JWT private key is missing; run ./ragline test once", e);
        }
    }

    private static JsonNode call(URI api, String method, String path, String token, JsonNode body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new AssertionError(method + " " + path + " answered " + response.statusCode() + " (expected "
                        + expected + "): " + response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
