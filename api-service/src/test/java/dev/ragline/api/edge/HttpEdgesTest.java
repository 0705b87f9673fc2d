package dev.ragline.api.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class HttpEdgesTest {

    @Test
    void responses_carry_the_security_headers() {
        given().get("/q/health/live").then()
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "frame-ancestors 'none'");
    }

    @Test
    void a_configured_origin_passes_the_cors_preflight() {
        given().header("Origin", "http://127.0.0.1:8080").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Authorization,Idempotency-Key")
                .options("/v1/orders").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "http://127.0.0.1:8080");
    }

    @Test
    void an_unknown_origin_gets_no_cors_grant() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/orders").then()
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void malformed_login_json_is_a_400_problem_not_a_500() {
        given().contentType(ContentType.JSON).body("{not json").post("/v1/auth/login").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://ragline.dev/problems/malformed-json"));
    }

    @Test
    void a_login_without_fields_lists_them() {
        given().contentType(ContentType.JSON).body("{}").post("/v1/auth/login").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItems("tenant", "email", "password"));
    }
}
