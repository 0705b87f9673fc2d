package dev.ragline.api.tenant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.api.support.TestTenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class TenantCreationTest {

    @Inject
    TestTenants testTenants;

    @Test
    void a_platform_admin_creates_a_tenant_whose_admin_can_log_in() {
        String slug = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(testTenants.platformAdminToken()).contentType(ContentType.JSON)
                .body(Map.of("slug", slug, "name", "Acme", "admin_email", "boss@" + slug + ".test", "admin_password",
                        TestTenants.PASSWORD))
                .post("/v1/tenants").then().statusCode(201)
                .body("slug", equalTo(slug)).body("admin.email", equalTo("boss@" + slug + ".test"));

        String token = TestTenants.login(slug, "boss@" + slug + ".test");
        given().auth().oauth2(token).get("/v1/users/me").then().statusCode(200).body("roles", hasItem("admin"));
    }

    @Test
    void a_taken_slug_is_a_409() {
        String platformAdmin = testTenants.platformAdminToken();
        var existing = testTenants.create("taken");
        given().auth().oauth2(platformAdmin).contentType(ContentType.JSON)
                .body(Map.of("slug", existing.slug(), "name", "Again", "admin_email", "a@b.test", "admin_password",
                        TestTenants.PASSWORD))
                .post("/v1/tenants").then().statusCode(409);
    }

    @Test
    void a_tenant_admin_cannot_create_tenants_403() {
        var tenant = testTenants.create("notplat");
        given().auth().oauth2(tenant.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("slug", "never-" + UUID.randomUUID().toString().substring(0, 6), "name", "X",
                        "admin_email", "a@b.test", "admin_password", TestTenants.PASSWORD))
                .post("/v1/tenants").then().statusCode(403);
    }

    @Test
    void an_invalid_tenant_request_lists_the_bad_fields() {
        given().auth().oauth2(testTenants.platformAdminToken()).contentType(ContentType.JSON)
                .body(Map.of("slug", "Bad Slug!", "name", "", "admin_email", "not-an-email", "admin_password", "short"))
                .post("/v1/tenants").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("slug")).body("errors.field", hasItem("admin_email"))
                .body("errors.field", hasItem("admin_password"));
    }
}
