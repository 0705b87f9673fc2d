package dev.ragline.worker.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.worker.WorkerTopics;
import dev.ragline.worker.support.OrderEvent;
import dev.ragline.worker.support.OrdersTopic;
import dev.ragline.worker.support.Tokens;
import dev.ragline.worker.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class TenantWebhooksTest {

    private static final String SECRET = "s3cret-of-the-globex-kitchen";

    @Inject
    WorkerTopics topics;

    @Test
    void a_tenant_admin_configures_a_webhook_and_receives_each_order_event_signed_with_its_secret() throws Exception {
        UUID tenant = UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver(); OrdersTopic orders = new OrdersTopic(topics.orders())) {
            configure(tenant, receiver.url());
            given().header("Authorization", Tokens.bearer(tenant, "admin")).get("/v1/webhooks/destination")
                    .then().statusCode(200).body("url", equalTo(receiver.url())).body("secret", equalTo(null));

            OrderEvent created = OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID());
            orders.publish(created);

            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.acceptedFor(created.eventId().toString()).isEmpty());
            WebhookReceiver.Delivery delivery = receiver.acceptedFor(created.eventId().toString()).get(0);
            assertThat(delivery.eventType()).isEqualTo("order_created");
            assertThat(delivery.signature()).isEqualTo(WebhookSignature.of(SECRET, delivery.body()));
            assertThat(delivery.body()).contains(created.orderId().toString());
        }
    }

    @Test
    void a_delivery_that_fails_at_first_is_retried_until_the_destination_accepts_it_and_arrives_once() throws Exception {
        UUID tenant = UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver(); OrdersTopic orders = new OrdersTopic(topics.orders())) {
            configure(tenant, receiver.url());
            OrderEvent created = OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID());
            receiver.goDown();
            orders.publish(created);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests() >= 2);
            receiver.acceptEverything();

            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.acceptedFor(created.eventId().toString()).isEmpty());
            Thread.sleep(500);
            assertThat(receiver.acceptedFor(created.eventId().toString())).hasSize(1);
        }
    }

    @Test
    void only_a_tenant_admin_may_configure_the_webhook() {
        UUID tenant = UUID.randomUUID();
        String body = "{\"url\":\"http://127.0.0.1:1/hook\",\"secret\":\"" + SECRET + "\"}";
        given().contentType(ContentType.JSON).body(body).put("/v1/webhooks/destination").then().statusCode(401);
        given().header("Authorization", Tokens.bearer(tenant, "customer")).contentType(ContentType.JSON).body(body)
                .put("/v1/webhooks/destination").then().statusCode(403);
        given().header("Authorization", Tokens.bearer(tenant, "staff")).contentType(ContentType.JSON).body(body)
                .put("/v1/webhooks/destination").then().statusCode(403);
    }

    @Test
    void a_destination_that_is_not_an_http_url_or_lacks_a_strong_secret_is_a_bad_request() {
        UUID tenant = UUID.randomUUID();
        given().header("Authorization", Tokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"url\":\"ftp://example.test/hook\",\"secret\":\"" + SECRET + "\"}")
                .put("/v1/webhooks/destination").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://ragline.dev/problems/invalid-request"));
        given().header("Authorization", Tokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"url\":\"https://example.test/hook\",\"secret\":\"short\"}")
                .put("/v1/webhooks/destination").then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("secret"));
        given().header("Authorization", Tokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"url\": ").put("/v1/webhooks/destination").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void another_tenants_destination_is_invisible() throws Exception {
        UUID tenant = UUID.randomUUID();
        configure(tenant, "https://hooks.example.test/orders");
        given().header("Authorization", Tokens.bearer(UUID.randomUUID(), "admin")).get("/v1/webhooks/destination")
                .then().statusCode(404).contentType("application/problem+json");
    }

    static void configure(UUID tenant, String url) {
        given().header("Authorization", Tokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"secret\":\"" + SECRET + "\"}")
                .put("/v1/webhooks/destination").then().statusCode(200).body("url", equalTo(url));
    }
}
