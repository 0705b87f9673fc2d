package dev.ragline.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ragline.api.support.TestTenants;
import dev.ragline.api.support.TestTenants.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.Jwt;

@QuarkusTest
class AuthenticationTest {

    @Inject
    TestTenants testTenants;

    TestTenant demo;

    @BeforeEach
    void createTenant() {
        demo = testTenants.create("auth");
    }

    @Test
    void a_customer_logs_in_and_gets_a_signed_token_with_tenant_and_roles() {
        Map<String, Object> tokens = login(demo.customerEmail(), TestTenants.PASSWORD).statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(1800))
                .body("refresh_token", notNullValue())
                .extract().as(Map.class);

        String[] parts = tokens.get("access_token").toString().split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]));
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
        org.assertj.core.api.Assertions.assertThat(header).contains("\"RS256\"");
        org.assertj.core.api.Assertions.assertThat(claims).contains("\"tenant_id\":\"" + demo.id() + "\"")
                .contains("\"roles\":[\"customer\"]").contains("\"groups\":[\"customer\"]")
                .contains("\"iss\":\"https://ragline.dev\"").contains("\"upn\":\"" + demo.customerEmail() + "\"");

        given().auth().oauth2(tokens.get("access_token").toString()).get("/v1/users/me").then()
                .statusCode(200).body("email", equalTo(demo.customerEmail())).body("roles", hasItem("customer"));
    }

    @Test
    void a_wrong_password_is_a_401_problem() {
        login(demo.customerEmail(), "not-the-password").statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("https://ragline.dev/problems/unauthorized"));
    }

    @Test
    void an_unknown_tenant_is_a_401_like_a_wrong_password() {
        given().contentType(ContentType.JSON)
                .body(Map.of("tenant", "no-such-tenant", "email", demo.customerEmail(), "password", TestTenants.PASSWORD))
                .post("/v1/auth/login").then().statusCode(401);
    }

    @Test
    void repeated_failed_logins_lock_the_account_with_429_and_retry_after() {
        for (int i = 0; i < 5; i++) {
            login(demo.staffEmail(), "wrong-" + i).statusCode(401);
        }
        login(demo.staffEmail(), TestTenants.PASSWORD).statusCode(429)
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://ragline.dev/problems/login-locked"));
        // Other accounts of the tenant are not affected.
        login(demo.customerEmail(), TestTenants.PASSWORD).statusCode(200);
    }

    @Test
    void a_refresh_token_rotates_and_its_reuse_revokes_the_family() {
        String first = login(demo.customerEmail(), TestTenants.PASSWORD).extract().path("refresh_token");
        String second = refresh(first).statusCode(200).extract().path("refresh_token");

        refresh(first).statusCode(401);
        // Reuse of the rotated token revoked the whole family, including the newest token.
        refresh(second).statusCode(401);
    }

    @Test
    void logout_revokes_the_refresh_token() {
        String refreshToken = login(demo.customerEmail(), TestTenants.PASSWORD).extract().path("refresh_token");
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken)).post("/v1/auth/logout")
                .then().statusCode(204);
        refresh(refreshToken).statusCode(401);
    }

    @Test
    void an_expired_token_is_rejected_with_401() {
        String expired = Jwt.issuer("https://ragline.dev").subject("x").groups(Set.of("customer"))
                .claim("tenant_id", demo.id().toString()).claim("user_id", demo.id().toString())
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign();
        given().auth().oauth2(expired).get("/v1/users/me").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void a_tampered_token_is_rejected_with_401() {
        String token = demo.customerToken();
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"customer\"", "\"admin\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes()) + "."
                + parts[2];
        given().auth().oauth2(tampered).get("/v1/users/me").then().statusCode(401);
    }

    @Test
    void a_token_tampered_after_its_genuine_form_was_accepted_is_still_rejected_with_401() {
        String token = demo.customerToken();
        given().auth().oauth2(token).get("/v1/users/me").then().statusCode(200);
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"customer\"", "\"admin\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes()) + "."
                + parts[2];

        given().auth().oauth2(tampered).get("/v1/users/me").then().statusCode(401);
        given().auth().oauth2(token).get("/v1/users/me").then().statusCode(200);
    }

    @Test
    void a_token_signed_with_another_key_is_rejected_with_401() throws Exception {
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String foreign = Jwt.issuer("https://ragline.dev").subject("x").groups(Set.of("admin"))
                .claim("tenant_id", demo.id().toString()).sign(generator.generateKeyPair().getPrivate());
        given().auth().oauth2(foreign).get("/v1/users/me").then().statusCode(401);
    }

    @Test
    void a_correctly_signed_token_without_a_tenant_is_rejected_with_401() {
        String tenantless = Jwt.issuer("https://ragline.dev").subject("x").groups(Set.of("customer")).sign();
        given().auth().oauth2(tenantless).get("/v1/products").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void a_request_without_a_token_is_rejected_with_401() {
        given().get("/v1/users/me").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }

    @Test
    void a_customer_cannot_create_users_403() {
        given().auth().oauth2(demo.customerToken()).contentType(ContentType.JSON)
                .body(Map.of("email", "new@x.test", "password", "long-enough-pw", "roles", List.of("admin")))
                .post("/v1/users").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void an_admin_adds_a_staff_member_who_can_log_in() {
        given().auth().oauth2(demo.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("email", "cook@" + demo.slug() + ".test", "password", "long-enough-pw", "roles", List.of("staff")))
                .post("/v1/users").then().statusCode(201).body("roles", hasItem("staff"));
        login("cook@" + demo.slug() + ".test", "long-enough-pw").statusCode(200);
    }

    private ValidatableResponse login(String email, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("tenant", demo.slug(), "email", email, "password", password))
                .post("/v1/auth/login").then();
    }

    private static ValidatableResponse refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken))
                .post("/v1/auth/refresh").then();
    }
}
