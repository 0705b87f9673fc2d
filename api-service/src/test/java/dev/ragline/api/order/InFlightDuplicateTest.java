package dev.ragline.api.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.api.support.Menu;
import dev.ragline.api.support.TestTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class InFlightDuplicateTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    TestTenants testTenants;

    @Inject
    Pool pool;

    @Test
    void a_duplicate_of_a_request_that_stays_in_flight_gets_409_after_waiting_and_can_retry_once_it_is_gone() {
        var tenant = testTenants.create("inflight");
        String customer = tenant.customerToken();
        String pizza = Menu.create(tenant.staffToken(), "Margherita", "9.50", "pizza");
        UUID userId = UUID.fromString(given().auth().oauth2(customer).get("/v1/users/me").then().extract().path("id"));
        String key = UUID.randomUUID().toString();
        Map<String, Object> cart = Map.of("items", List.of(Map.of("product_id", pizza, "quantity", 1)));

        // Another replica claimed the key and has not committed yet.
        SqlConnection original = pool.getConnection().await().atMost(WAIT);
        try {
            original.query("BEGIN").execute().await().atMost(WAIT);
            original.preparedQuery("SELECT set_config('ragline.tenant_id', $1, true)").execute(Tuple.of(tenant.id().toString()))
                    .await().atMost(WAIT);
            original.preparedQuery("INSERT INTO idempotency_keys (tenant_id, user_id, idempotency_key, request_hash,"
                    + " response_status, response_body, expires_at) VALUES ($1, $2, $3, 'x', 0, '{}', now() + interval '1 day')")
                    .execute(Tuple.of(tenant.id(), userId, key)).await().atMost(WAIT);

            given().auth().oauth2(customer).header("Idempotency-Key", key).contentType(ContentType.JSON).body(cart)
                    .post("/v1/orders").then().statusCode(409)
                    .body("type", equalTo("https://ragline.dev/problems/idempotency-key-in-flight"));
        } finally {
            original.query("ROLLBACK").execute().await().atMost(WAIT);
            original.close().await().atMost(WAIT);
        }

        // The original never completed, so a retry with the same key does the work.
        given().auth().oauth2(customer).header("Idempotency-Key", key).contentType(ContentType.JSON).body(cart)
                .post("/v1/orders").then().statusCode(201).body("status", equalTo("pending"));
    }
}
