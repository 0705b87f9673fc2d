package dev.ragline.api.support;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.common.Roles;
import dev.ragline.api.common.TenantDatabase;
import dev.ragline.api.tenant.TenantService;
import dev.ragline.api.user.PasswordHasher;
import dev.ragline.api.user.UserRepository;
import dev.ragline.api.user.UserService;
import io.restassured.http.ContentType;

/** Creates throw-away tenants (unique slugs) with an admin, a staff member and a customer through the real services. */
@ApplicationScoped
public class TestTenants {

    public static final String PASSWORD = "correct-horse-battery";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TenantService tenants;
    private final UserService users;
    private final UserRepository userRepository;
    private final PasswordHasher hasher;
    private final TenantDatabase database;

    public TestTenants(TenantService tenants, UserService users, UserRepository userRepository, PasswordHasher hasher,
            TenantDatabase database) {
        this.tenants = tenants;
        this.users = users;
        this.userRepository = userRepository;
        this.hasher = hasher;
        this.database = database;
    }

    public record TestTenant(UUID id, String slug, String adminEmail, String staffEmail, String customerEmail) {

        public String adminToken() {
            return login(slug, adminEmail);
        }

        public String staffToken() {
            return login(slug, staffEmail);
        }

        public String customerToken() {
            return login(slug, customerEmail);
        }
    }

    public TestTenant create(String prefix) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        var created = tenants.create(slug, prefix + " test tenant", "admin@" + slug + ".test", PASSWORD).await().atMost(WAIT);
        UUID id = created.tenant().id();
        users.create(id, "staff@" + slug + ".test", PASSWORD, List.of(Roles.STAFF)).await().atMost(WAIT);
        users.create(id, "customer@" + slug + ".test", PASSWORD, List.of(Roles.CUSTOMER)).await().atMost(WAIT);
        return new TestTenant(id, slug, "admin@" + slug + ".test", "staff@" + slug + ".test", "customer@" + slug + ".test");
    }

    /** Adds another customer to a tenant and returns their email. */
    public String addCustomer(TestTenant tenant) {
        String email = "customer-" + UUID.randomUUID().toString().substring(0, 8) + "@" + tenant.slug() + ".test";
        users.create(tenant.id(), email, PASSWORD, List.of(Roles.CUSTOMER)).await().atMost(WAIT);
        return email;
    }

    /** A tenant holding one platform admin, who may create tenants. */
    public String platformAdminToken() {
        TestTenant platform = create("platform");
        String email = "root@" + platform.slug() + ".test";
        hasher.hash(PASSWORD).chain(hash -> database.inTenant(platform.id(),
                tx -> userRepository.insert(tx, platform.id(), email, hash, List.of(Roles.PLATFORM_ADMIN))))
                .await().atMost(WAIT);
        return login(platform.slug(), email);
    }

    public static String login(String slug, String email) {
        return given().contentType(ContentType.JSON)
                .body(java.util.Map.of("tenant", slug, "email", email, "password", PASSWORD))
                .post("/v1/auth/login")
                .then().statusCode(200)
                .extract().path("access_token");
    }
}
