package dev.ragline.llm.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/** A web client on the default dev origins (the front door, :8080) passes the CORS preflight; others get no grant. */
@QuarkusTest
class CorsPreflightTest {

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:8080", "http://localhost:8080" })
    void a_default_dev_origin_passes_the_preflight_of_post_v1_chat(String origin) {
        given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Authorization,Content-Type,traceparent")
                .options("/v1/chat").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", containsStringIgnoringCase("POST"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("authorization"));
    }

    @Test
    void an_unknown_origin_gets_no_cors_grant() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/chat").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
