package dev.ragline.api.order;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ragline.api.support.Menu;
import dev.ragline.api.support.TestTenants;
import dev.ragline.api.support.TestTenants.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class OrderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    TestTenants testTenants;

    @Inject
    Pool pool;

    TestTenant demo;
    String customer;
    String staff;
    String pizza;

    @BeforeEach
    void menu() {
        demo = testTenants.create("orders");
        customer = demo.customerToken();
        staff = demo.staffToken();
        pizza = Menu.create(staff, "Margherita", "9.50", "pizza");
    }

    @Test
    void a_customer_places_a_pending_order() {
        place(customer, UUID.randomUUID().toString(), cart(2)).statusCode(201)
                .body("status", equalTo("pending")).body("items[0].quantity", equalTo(2))
                .body("items[0].line_total", equalTo(19.00f)).body("total", equalTo(19.00f))
                .body("user_id", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void an_order_without_an_idempotency_key_is_a_400() {
        given().auth().oauth2(customer).contentType(ContentType.JSON).body(cart(1)).post("/v1/orders").then()
                .statusCode(400).body("type", equalTo("https://ragline.dev/problems/idempotency-key-required"));
    }

    @Test
    void the_same_key_and_body_replays_the_original_order() {
        String key = UUID.randomUUID().toString();
        String first = place(customer, key, cart(1)).statusCode(201).extract().path("id");
        place(customer, key, cart(1)).statusCode(201).body("id", equalTo(first));
        given().auth().oauth2(customer).get("/v1/orders").then().body("total", equalTo(1));
    }

    @Test
    void the_same_key_with_a_different_body_is_a_422() {
        String key = UUID.randomUUID().toString();
        place(customer, key, cart(1)).statusCode(201);
        place(customer, key, cart(3)).statusCode(422)
                .body("type", equalTo("https://ragline.dev/problems/idempotency-key-reused"));
    }

    @Test
    void keys_are_scoped_per_user_so_two_customers_may_use_the_same_key() {
        String other = TestTenants.login(demo.slug(), testTenants.addCustomer(demo));
        String key = "shared-key";
        String mine = place(customer, key, cart(1)).statusCode(201).extract().path("id");
        String theirs = place(other, key, cart(1)).statusCode(201).extract().path("id");
        assertThat(theirs).isNotEqualTo(mine);
    }

    @Test
    void twenty_concurrent_duplicate_requests_create_exactly_one_order() throws Exception {
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return given().auth().oauth2(customer).header("Idempotency-Key", key).contentType(ContentType.JSON)
                            .body(cart(2)).post("/v1/orders");
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<Response> call : calls) {
                Response response = call.get();
                assertThat(response.statusCode()).isEqualTo(201);
                ids.add(response.path("id"));
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdown();
        }
        given().auth().oauth2(customer).get("/v1/orders").then().body("total", equalTo(1));
    }

    @Test
    void staff_move_an_order_through_its_life_cycle() {
        String id = newOrder();
        for (String status : List.of("confirmed", "preparing", "ready", "completed")) {
            move(staff, id, status).statusCode(200).body("status", equalTo(status));
        }
    }

    @Test
    void an_illegal_status_move_is_a_409_and_changes_nothing() {
        String id = newOrder();
        move(staff, id, "ready").statusCode(409)
                .body("type", equalTo("https://ragline.dev/problems/illegal-status-transition"));
        move(staff, id, "confirmed").statusCode(200);
        move(staff, id, "preparing").statusCode(200);
        move(staff, id, "cancelled").statusCode(409);
        given().auth().oauth2(customer).get("/v1/orders/" + id).then().body("status", equalTo("preparing"));
    }

    @Test
    void customers_cannot_change_the_status_403() {
        move(customer, newOrder(), "confirmed").statusCode(403);
    }

    @Test
    void a_customer_cancels_their_pending_order_but_not_a_confirmed_one() {
        String pending = newOrder();
        given().auth().oauth2(customer).post("/v1/orders/" + pending + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));

        String confirmed = newOrder();
        move(staff, confirmed, "confirmed").statusCode(200);
        given().auth().oauth2(customer).post("/v1/orders/" + confirmed + "/cancel").then().statusCode(409);
        given().auth().oauth2(staff).post("/v1/orders/" + confirmed + "/cancel").then().statusCode(200);
    }

    @Test
    void customers_see_only_their_own_orders_and_staff_see_all() {
        String other = TestTenants.login(demo.slug(), testTenants.addCustomer(demo));
        String mine = newOrder();
        String theirs = place(other, UUID.randomUUID().toString(), cart(1)).statusCode(201).extract().path("id");

        given().auth().oauth2(customer).get("/v1/orders/" + theirs).then().statusCode(404);
        given().auth().oauth2(customer).post("/v1/orders/" + theirs + "/cancel").then().statusCode(404);
        given().auth().oauth2(customer).get("/v1/orders").then().body("items", hasSize(1)).body("items[0].id", equalTo(mine));
        given().auth().oauth2(staff).get("/v1/orders?status=pending").then().body("total", equalTo(2));
    }

    @Test
    void globex_cannot_read_cancel_or_move_a_demo_order() {
        String id = newOrder();
        TestTenant globex = testTenants.create("globex");
        String globexStaff = globex.staffToken();
        given().auth().oauth2(globexStaff).get("/v1/orders/" + id).then().statusCode(404);
        given().auth().oauth2(globexStaff).post("/v1/orders/" + id + "/cancel").then().statusCode(404);
        move(globexStaff, id, "confirmed").statusCode(404);
        given().auth().oauth2(globexStaff).get("/v1/orders").then().body("total", equalTo(0));
        // A globex customer cannot order demo's products either.
        place(globex.customerToken(), UUID.randomUUID().toString(), cart(1)).statusCode(422);
    }

    @Test
    void a_promotion_with_a_usage_limit_applies_only_that_many_times() {
        given().auth().oauth2(demo.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("code", "ONCE", "kind", "fixed", "amount", 5, "usage_limit", 1)).post("/v1/promotions")
                .then().statusCode(201);
        Map<String, Object> withPromo = Map.of("items", List.of(Map.of("product_id", pizza, "quantity", 1)), "promo_code",
                "ONCE");
        place(customer, UUID.randomUUID().toString(), withPromo).statusCode(201).body("discount", equalTo(5.00f))
                .body("promo_code", equalTo("ONCE"));
        place(customer, UUID.randomUUID().toString(), withPromo).statusCode(201).body("discount", equalTo(0.00f));
    }

    @Test
    void a_key_still_replays_its_order_after_the_cart_stopped_pricing() {
        String key = UUID.randomUUID().toString();
        String first = place(customer, key, cart(1)).statusCode(201).extract().path("id");
        given().auth().oauth2(staff).delete("/v1/products/" + pizza).then().statusCode(204);

        place(customer, key, cart(1)).statusCode(201).body("id", equalTo(first));
        place(customer, UUID.randomUUID().toString(), cart(1)).statusCode(422)
                .body("type", equalTo("https://ragline.dev/problems/invalid-cart-item"));
    }

    @Test
    void an_order_that_loses_a_limited_promotions_last_use_is_a_409_that_leaves_its_key_free() throws Exception {
        given().auth().oauth2(demo.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("code", "LAST", "kind", "fixed", "amount", 5, "usage_limit", 1)).post("/v1/promotions")
                .then().statusCode(201);
        Map<String, Object> withPromo = Map.of("items", List.of(Map.of("product_id", pizza, "quantity", 1)), "promo_code",
                "LAST");
        String key = UUID.randomUUID().toString();
        ExecutorService client = Executors.newSingleThreadExecutor();
        // Another order takes the last use and commits only once this one priced the cart with the promotion.
        SqlConnection rival = pool.getConnection().await().atMost(WAIT);
        try {
            rival.query("BEGIN").execute().await().atMost(WAIT);
            rival.preparedQuery("SELECT set_config('ragline.tenant_id', $1, true)").execute(Tuple.of(demo.id().toString()))
                    .await().atMost(WAIT);
            rival.query("UPDATE promotions SET used_count = used_count + 1 WHERE code = 'LAST'").execute().await()
                    .atMost(WAIT);
            Future<Response> order = client.submit(() -> given().auth().oauth2(customer).header("Idempotency-Key", key)
                    .contentType(ContentType.JSON).body(withPromo).post("/v1/orders"));
            awaitBlockedOnTheRival(order);
            rival.query("COMMIT").execute().await().atMost(WAIT);

            Response lost = order.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(lost.statusCode()).isEqualTo(409);
            assertThat(lost.<String> path("type")).isEqualTo("https://ragline.dev/problems/promotion-exhausted");
        } finally {
            rival.close().await().atMost(WAIT);
            client.shutdown();
        }
        given().auth().oauth2(customer).get("/v1/orders").then().body("total", equalTo(0));
        place(customer, key, withPromo).statusCode(201).body("discount", equalTo(0.00f));
    }

    /** Until the order's write waits for the rival's lock on the promotion (well within the in-flight wait). */
    private void awaitBlockedOnTheRival(Future<Response> order) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < deadline && !order.isDone()) {
            long waiting = pool.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock' AND query LIKE '%promotion_use%'").execute().await().atMost(WAIT)
                    .iterator().next().getLong(0);
            if (waiting > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the order never waited for the promotion's row lock");
    }

    private String newOrder() {
        return place(customer, UUID.randomUUID().toString(), cart(1)).statusCode(201).extract().path("id");
    }

    private Map<String, Object> cart(int quantity) {
        return Map.of("items", List.of(Map.of("product_id", pizza, "quantity", quantity)));
    }

    private static ValidatableResponse place(String token, String key, Map<String, Object> cart) {
        return given().auth().oauth2(token).header("Idempotency-Key", key).contentType(ContentType.JSON).body(cart)
                .post("/v1/orders").then();
    }

    private static ValidatableResponse move(String token, String id, String status) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("status", status))
                .patch("/v1/orders/" + id + "/status").then();
    }
}
