package dev.ragline.worker.deadletter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.ragline.contracts.EventHeaders;
import dev.ragline.contracts.Topics;
import dev.ragline.worker.WorkerTopics;
import dev.ragline.worker.support.OrderEvent;
import dev.ragline.worker.support.OrdersTopic;
import dev.ragline.worker.support.Tokens;
import dev.ragline.worker.support.TopicReader;
import dev.ragline.worker.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class DeadLetterRecoveryTest {

    @Inject
    WorkerTopics topics;

    @Test
    void a_poison_delivery_is_parked_while_the_stream_flows_and_a_replay_after_the_fix_delivers_it_once() throws Exception {
        UUID tenant = UUID.randomUUID();
        String deadLetterTopic = Topics.deadLetterTopicOf(topics.orders());
        try (WebhookReceiver receiver = new WebhookReceiver();
                OrdersTopic orders = new OrdersTopic(topics.orders());
                TopicReader deadLetters = new TopicReader(deadLetterTopic)) {
            configureWebhook(tenant, receiver.url());
            OrderEvent poison = OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID());
            receiver.refuse(poison.eventId().toString());
            orders.publish(poison);
            List<OrderEvent> healthy = List.of(OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID()),
                    OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID()),
                    OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID()));
            healthy.forEach(orders::publish);

            await().atMost(Duration.ofSeconds(30)).until(() -> healthy.stream()
                    .allMatch(event -> receiver.acceptedFor(event.eventId().toString()).size() == 1));
            ConsumerRecord<String, String> parked = deadLetters.awaitRecords(
                    r -> poison.eventId().toString().equals(header(r, EventHeaders.EVENT_ID)), 1, Duration.ofSeconds(30))
                    .get(0);
            assertThat(header(parked, DeadLetters.CAUSE_HEADER)).contains("500");
            assertThat(header(parked, DeadLetters.CONSUMER_HEADER)).isEqualTo("webhooks");
            assertThat(parked.key()).isEqualTo(poison.orderId().toString());
            assertThat(parked.value()).contains(poison.eventId().toString());

            String id = await().atMost(Duration.ofSeconds(10)).until(() -> parkedId(tenant, poison.eventId()),
                    found -> found != null);
            given().header("Authorization", Tokens.bearer(UUID.randomUUID(), "admin"))
                    .post("/v1/dlq/{id}/replay", id).then().statusCode(404).contentType("application/problem+json");
            given().header("Authorization", Tokens.bearer(tenant, "admin")).post("/v1/dlq/{id}/replay", id)
                    .then().statusCode(409).body("type", equalTo("https://ragline.dev/problems/replay-rejected"));

            receiver.acceptEverything();
            given().header("Authorization", Tokens.bearer(tenant, "admin")).post("/v1/dlq/{id}/replay", id)
                    .then().statusCode(200).body("status", equalTo("recovered")).body("replay_attempts", equalTo(2));

            assertThat(receiver.acceptedFor(poison.eventId().toString())).hasSize(1);
            given().header("Authorization", Tokens.bearer(tenant, "admin")).post("/v1/dlq/{id}/replay", id)
                    .then().statusCode(409);
            assertThat(receiver.acceptedFor(poison.eventId().toString())).hasSize(1);
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("ragline_dead_letters_total{outcome=\"recovered\",topic=\"" + deadLetterTopic + "\"}"))
                    .body(containsString("ragline_dead_letters_total{outcome=\"parked\",topic=\"" + deadLetterTopic + "\"}"));
        }
    }

    @Test
    void a_message_that_is_not_an_event_is_parked_at_once_and_only_platform_admins_see_it() throws Exception {
        String key = UUID.randomUUID().toString();
        try (OrdersTopic orders = new OrdersTopic(topics.orders())) {
            orders.send(key, "{not json", null, null);

            await().atMost(Duration.ofSeconds(30)).until(() -> given()
                    .header("Authorization", Tokens.bearer(UUID.randomUUID(), "platform_admin"))
                    .get("/v1/dlq?status=parked&limit=1000").then().statusCode(200).extract().jsonPath()
                    .getList("items.findAll { it.key == '" + key + "' }.consumer").size() == 2);
            Map<String, Object> letter = given().header("Authorization", Tokens.bearer(UUID.randomUUID(), "platform_admin"))
                    .get("/v1/dlq?status=parked&limit=1000").then().extract().jsonPath()
                    .getMap("items.find { it.key == '" + key + "' && it.consumer == 'notifications' }");
            assertThat((String) letter.get("cause")).contains("not JSON");
            assertThat(letter.get("tenant_id")).isNull();
            assertThat(given().header("Authorization", Tokens.bearer(UUID.randomUUID(), "admin"))
                    .get("/v1/dlq?limit=1000").then().statusCode(200).extract().jsonPath()
                    .getList("items.findAll { it.key == '" + key + "' }")).isEmpty();
        }
    }

    @Test
    void an_unreadable_event_of_a_tenant_without_a_webhook_is_parked_by_the_notifications_alone() throws Exception {
        UUID withoutWebhook = UUID.randomUUID();
        UUID withWebhook = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        try (WebhookReceiver receiver = new WebhookReceiver(); OrdersTopic orders = new OrdersTopic(topics.orders())) {
            configureWebhook(withWebhook, receiver.url());
            orders.send(key, "{not json", UUID.randomUUID().toString(), withoutWebhook.toString());
            // Same key, so the same partition: once this one is delivered, the webhooks consumer is past the first.
            OrderEvent behind = OrderEvent.created(withWebhook, UUID.randomUUID(), UUID.randomUUID());
            orders.send(key, behind.envelopeJson(), behind.eventId().toString(), withWebhook.toString());

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> receiver.acceptedFor(behind.eventId().toString()).size() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> parkingConsumers(key).contains("notifications"));
            assertThat(parkingConsumers(key)).containsExactly("notifications");
        }
    }

    private static List<String> parkingConsumers(String key) {
        return given().header("Authorization", Tokens.bearer(UUID.randomUUID(), "platform_admin"))
                .get("/v1/dlq?status=parked&limit=1000").then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.key == '" + key + "' }.consumer", String.class);
    }

    @Test
    void a_dead_destination_opens_its_circuit_breaker_so_later_deliveries_fail_fast() throws Exception {
        UUID tenant = UUID.randomUUID();
        try (WebhookReceiver receiver = new WebhookReceiver(); OrdersTopic orders = new OrdersTopic(topics.orders())) {
            configureWebhook(tenant, receiver.url());
            receiver.goDown();
            int events = 10;
            for (int i = 0; i < events; i++) {
                orders.publish(OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID()));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> deadLetterCauses(tenant).size() == events);
            // Without the breaker each event would cost 4 requests (1 + 3 retries).
            assertThat(receiver.requests()).isLessThan(events * 4 - 8);
            assertThat(deadLetterCauses(tenant)).anyMatch(cause -> cause.contains("CircuitBreakerOpenException"));
        }
    }

    @Test
    void listing_dead_letters_needs_an_admin() {
        given().get("/v1/dlq").then().statusCode(401);
        given().header("Authorization", Tokens.bearer(UUID.randomUUID(), "staff")).get("/v1/dlq").then().statusCode(403);
        given().header("Authorization", Tokens.bearer(UUID.randomUUID(), "admin")).get("/v1/dlq?status=lost")
                .then().statusCode(400).contentType("application/problem+json");
    }

    private static List<String> deadLetterCauses(UUID tenant) {
        return given().header("Authorization", Tokens.bearer(tenant, "admin")).get("/v1/dlq").then().statusCode(200)
                .extract().jsonPath().getList("items.cause", String.class);
    }

    private static String parkedId(UUID tenant, UUID eventId) {
        return given().header("Authorization", Tokens.bearer(tenant, "admin")).get("/v1/dlq?status=parked").then()
                .statusCode(200).extract().jsonPath()
                .getString("items.find { it.event_id == '" + eventId + "' && it.consumer == 'webhooks' }.id");
    }

    private static void configureWebhook(UUID tenant, String url) {
        given().header("Authorization", Tokens.bearer(tenant, "admin")).contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"secret\":\"a-secret-of-sixteen-chars\"}")
                .put("/v1/webhooks/destination").then().statusCode(200);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
