package dev.ragline.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import dev.ragline.e2e.support.RaglineSystem;

/** What a signed-in page may show: its own tenant's data only, and nothing once the session is gone. */
class TenantAndSessionIT {

    private final RaglineSystem system = RaglineSystem.shared();
    private final Api api = new Api(system.frontDoor());

    @Test
    void theStaffBoardAndMenuNeverShowAnotherTenantsOrdersOrDishes() {
        String globexCustomer = api.token("globex", "customer@globex.test");
        String demoCustomer = api.token("demo", "customer@demo.test");
        try (Browser staff = Browser.open(system.frontDoor())) {
            staff.signIn("demo", "staff@demo.test", RaglineSystem.DEMO_PASSWORD);
            staff.go("#/board");
            staff.awaitLive("board-live");

            String globexOrder = api.placeOrder(globexCustomer, api.productId(globexCustomer, "Pizza Diavola"), 3);
            String demoOrder = api.placeOrder(demoCustomer, api.productId(demoCustomer, "Pizza Diavola"), 2);
            // both went through the same topic; the demo one arriving shows the globex one had its chance
            staff.await(d -> d.findElement(By.cssSelector("[data-order-id='" + demoOrder + "']")));
            staff.driver().navigate().refresh();
            staff.awaitLive("board-live");
            staff.await(d -> d.findElement(By.cssSelector("[data-order-id='" + demoOrder + "']")));

            assertThat(staff.all("[data-order-id='" + globexOrder + "']")).isEmpty();
            assertThat(staff.driver().getPageSource()).doesNotContain(globexOrder).doesNotContain(" USD");

            staff.go("#/menu");
            staff.await(d -> !d.findElements(By.cssSelector("#menu-results .product")).isEmpty());
            assertThat(staff.all("#menu-results .product .price"))
                    .allSatisfy(price -> assertThat(price.getText()).endsWith("EUR"));
        }
    }

    @Test
    void aRequestWithAnExpiredTokenWhoseRefreshIsRevokedLeadsToTheSignInPage() throws Exception {
        try (Browser customer = Browser.open(system.frontDoor())) {
            customer.signIn("demo", "customer@demo.test", RaglineSystem.DEMO_PASSWORD);
            String session = "JSON.parse(sessionStorage.getItem('ragline.session'))";
            // The refresh token's family is revoked (signed out elsewhere) and the access token has lapsed,
            // while the page still believes it is valid for half an hour.
            api.logout((String) customer.script("return " + session + ".refresh"));
            String lapsed = expired((String) customer.script("return " + session + ".access"));
            customer.script("const s = " + session + "; s.access = arguments[0];"
                    + " sessionStorage.setItem('ragline.session', JSON.stringify(s))", lapsed);

            customer.go("#/orders");
            customer.driver().navigate().refresh();

            customer.await(Duration.ofSeconds(15), d -> d.findElement(By.id("tenant")).isDisplayed());
            assertThat(customer.driver().findElement(By.id("notice")).getText())
                    .isEqualTo("Your session has expired; please sign in again.");
            assertThat(customer.script("return sessionStorage.getItem('ragline.session')")).isNull();
            assertThat(customer.all("#orders-body")).isEmpty();

            customer.signIn("demo", "customer@demo.test", RaglineSystem.DEMO_PASSWORD);
            customer.go("#/orders");
            customer.await(d -> d.findElement(By.id("orders-body")));
        }
    }

    /** The same claims and signing key as the real token, with an `exp` in the past. */
    private String expired(String token) throws Exception {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceAll("\"iat\"\\s*:\\s*\\d+", "\"iat\":" + Instant.now().minusSeconds(3600).getEpochSecond())
                .replaceAll("\"exp\"\\s*:\\s*\\d+", "\"exp\":" + Instant.now().minusSeconds(60).getEpochSecond());
        assertThat(claims).contains("\"exp\":");
        String signed = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        String pem = Files.readString(system.root().resolve(".ragline/keys/jwt-private.pem"))
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
    }
}
