package dev.ragline.api.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.api.support.TestTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

@QuarkusTest
@TestProfile(TightRateLimitProfile.class)
class RateLimitTest {

    @Inject
    TestTenants testTenants;

    @Test
    void a_tenant_over_its_budget_gets_429_with_retry_after_while_other_tenants_are_served() {
        String busy = testTenants.create("busy").customerToken();
        String quiet = testTenants.create("quiet").customerToken();

        // 11 requests span at most two 60 s windows, so one window sees more than 5.
        Response limited = null;
        for (int i = 0; i < 11 && limited == null; i++) {
            Response response = given().auth().oauth2(busy).get("/v1/products");
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
            }
        }
        assertThat(limited).as("the busy tenant was limited").isNotNull();
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.<String> path("type")).isEqualTo("https://ragline.dev/problems/rate-limited");

        given().auth().oauth2(quiet).get("/v1/products").then().statusCode(200);
    }
}
