package dev.ragline.api.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ragline.api.common.TenantDatabase;
import dev.ragline.api.support.Menu;
import dev.ragline.api.support.TestTenants;
import dev.ragline.api.support.TestTenants.TestTenant;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class ProductCacheTest {

    @Inject
    TestTenants testTenants;

    @Inject
    RedisDataSource redis;

    @Inject
    TenantDatabase database;

    @Inject
    ProductCache cache;

    TestTenant demo;
    String staff;
    String customer;

    @BeforeEach
    void tenant() {
        demo = testTenants.create("cache");
        staff = demo.staffToken();
        customer = demo.customerToken();
    }

    @Test
    void a_first_read_misses_and_fills_the_cache_then_reads_hit_it() {
        String id = Menu.create(staff, "Lasagne", "13.00", "pasta");
        String key = ProductCache.productKey(demo.id(), UUID.fromString(id));
        assertThat(redis.key().exists(key)).isFalse();

        given().auth().oauth2(customer).get("/v1/products/" + id).then().statusCode(200);
        assertThat(redis.key().exists(key)).isTrue();
        long ttl = redis.key().pttl(key);
        assertThat(ttl).isBetween(Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(6).toMillis());

        // Changed behind the service's back: a cache hit still answers the cached value.
        changeNameInDatabase(id, "Changed directly");
        given().auth().oauth2(customer).get("/v1/products/" + id).then().body("name", equalTo("Lasagne"));
        assertThat(cache.hitRatio()).isGreaterThan(0.0);
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("ragline_cache_hit_ratio"));
    }

    @Test
    void an_update_through_the_api_invalidates_the_product_and_the_lists() {
        String id = Menu.create(staff, "Carbonara", "12.00", "pasta");
        given().auth().oauth2(customer).get("/v1/products/" + id).then().body("name", equalTo("Carbonara"));
        given().auth().oauth2(customer).get("/v1/products?category=pasta").then().body("items[0].name", equalTo("Carbonara"));

        given().auth().oauth2(staff).contentType(ContentType.JSON)
                .body(Menu.product("Carbonara speciale", "14.00", "pasta", List.of())).put("/v1/products/" + id)
                .then().statusCode(200);

        given().auth().oauth2(customer).get("/v1/products/" + id).then()
                .body("name", equalTo("Carbonara speciale")).body("price", equalTo(14.00f));
        given().auth().oauth2(customer).get("/v1/products?category=pasta").then()
                .body("items[0].name", equalTo("Carbonara speciale"));
    }

    @Test
    void a_delete_invalidates_the_cached_product() {
        String id = Menu.create(staff, "Pesto", "10.00", "pasta");
        given().auth().oauth2(customer).get("/v1/products/" + id).then().statusCode(200);
        given().auth().oauth2(staff).delete("/v1/products/" + id).then().statusCode(204);
        given().auth().oauth2(customer).get("/v1/products/" + id).then().statusCode(404);
    }

    @Test
    void concurrent_misses_of_one_product_fill_the_cache_once_and_all_succeed() throws Exception {
        String id = Menu.create(staff, "Arrabbiata", "9.00", "pasta");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            var calls = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 10; i++) {
                calls.add(pool.submit(() -> given().auth().oauth2(customer).get("/v1/products/" + id).statusCode()));
            }
            for (var call : calls) {
                assertThat(call.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(redis.key().exists(ProductCache.productKey(demo.id(), UUID.fromString(id)))).isTrue();
        assertThat(redis.key().exists(ProductCache.productKey(demo.id(), UUID.fromString(id)) + ":lock")).isFalse();
    }

    private void changeNameInDatabase(String id, String name) {
        database.inTenant(demo.id(), tx -> tx.preparedQuery("UPDATE products SET name = $1 WHERE id = $2")
                .execute(Tuple.of(name, UUID.fromString(id)))).await().atMost(Duration.ofSeconds(10));
    }
}
