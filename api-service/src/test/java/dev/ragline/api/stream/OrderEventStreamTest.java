package dev.ragline.api.stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** SSE clients of GET /v1/events/orders, fed by order events that go through the real Kafka broker. */
@QuarkusTest
class OrderEventStreamTest extends OrderStreamScenario {

    @TestHTTPResource("/v1/events/orders")
    URI stream;

    @Test
    void staff_of_one_tenant_never_receive_another_tenants_events() throws Exception {
        try (SseTestClient staffOfA = SseTestClient.connect(stream, TestTokens.of(tenantA, UUID.randomUUID(), "staff"),
                null)) {
            String ofB = orders.publishCreated(tenantB, bob);
            String ofA = orders.publishCreated(tenantA, alice);

            await().atMost(DELIVERY).until(() -> staffOfA.eventIdsOfOrders().contains(ofA));
            assertThat(staffOfA.eventIdsOfOrders()).containsExactly(ofA).doesNotContain(ofB);
            assertThat(staffOfA.events()).allSatisfy(
                    event -> assertThat(event.json().path("tenant_id").asText()).isEqualTo(tenantA.toString()));
        }
    }

    @Test
    void a_customer_receives_only_their_own_orders() throws Exception {
        try (SseTestClient aliceStream = SseTestClient.connect(stream, TestTokens.of(tenantA, alice, "customer"), null)) {
            String bobsOrder = orders.publishCreated(tenantA, bob);
            String alicesOrder = orders.publishCreated(tenantA, alice);

            await().atMost(DELIVERY).until(() -> aliceStream.eventIdsOfOrders().contains(alicesOrder));
            assertThat(aliceStream.eventIdsOfOrders()).containsExactly(alicesOrder).doesNotContain(bobsOrder);
        }
    }

    @Test
    void staff_see_every_customers_orders_of_their_tenant_with_the_event_type_and_envelope() throws Exception {
        try (SseTestClient staff = SseTestClient.connect(stream, TestTokens.of(tenantA, UUID.randomUUID(), "staff"), null)) {
            UUID order = UUID.randomUUID();
            String created = orders.publish(tenantA, alice, order, "order_created", 1);
            String cancelled = orders.publish(tenantA, alice, order, "order_cancelled", 2);
            String bobs = orders.publishCreated(tenantA, bob);

            await().atMost(DELIVERY).until(() -> staff.events().size() == 3);
            assertThat(staff.eventIdsOfOrders()).containsExactlyInAnyOrder(created, cancelled, bobs);
            List<SseTestClient.Frame> ofOrder = staff.events().stream()
                    .filter(event -> event.json().path("aggregate_id").asText().equals(order.toString())).toList();
            assertThat(ofOrder).extracting(SseTestClient.Frame::event).containsExactly("order_created", "order_cancelled");
            assertThat(ofOrder.get(1).json().path("payload").path("status").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void an_admin_sees_the_whole_tenant_too() throws Exception {
        try (SseTestClient admin = SseTestClient.connect(stream, TestTokens.of(tenantA, UUID.randomUUID(), "admin"), null)) {
            String alices = orders.publishCreated(tenantA, alice);
            String bobs = orders.publishCreated(tenantA, bob);

            await().atMost(DELIVERY).until(() -> admin.eventIdsOfOrders().containsAll(List.of(alices, bobs)));
        }
    }

    @Test
    void a_client_reconnecting_with_last_event_id_gets_what_it_missed_without_gaps_or_duplicates() throws Exception {
        String token = TestTokens.of(tenantA, UUID.randomUUID(), "staff");
        String lastEventId;
        try (SseTestClient first = SseTestClient.connect(stream, token, null)) {
            List<String> seen = List.of(orders.publishCreated(tenantA, alice), orders.publishCreated(tenantA, bob));
            await().atMost(DELIVERY).until(() -> first.eventIdsOfOrders().containsAll(seen));
            assertThat(first.eventIdsOfOrders()).containsExactlyInAnyOrderElementsOf(seen);
            lastEventId = first.lastEventId();
        }
        // Enough orders while away that they spread over every partition of the topic.
        List<String> missed = IntStream.range(0, 9)
                .mapToObj(i -> orders.publishCreated(tenantA, i % 2 == 0 ? alice : bob)).toList();

        try (SseTestClient again = SseTestClient.connect(stream, token, lastEventId)) {
            await().atMost(DELIVERY).until(() -> again.eventIdsOfOrders().containsAll(missed));
            String live = orders.publishCreated(tenantA, alice);
            await().atMost(DELIVERY).until(() -> again.eventIdsOfOrders().contains(live));

            List<String> expected = new ArrayList<>(missed);
            expected.add(live);
            assertThat(again.eventIdsOfOrders()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(again.events()).noneMatch(event -> "resync".equals(event.event()));
        }
    }

    @Test
    void an_event_the_relay_published_twice_reaches_a_client_once_live_and_across_a_resume() throws Exception {
        String token = TestTokens.of(tenantA, UUID.randomUUID(), "staff");
        // One order, so every event and every copy lands on one partition, in the order published.
        UUID order = UUID.randomUUID();
        String beforeIt;
        String created;
        String confirmed;
        try (SseTestClient first = SseTestClient.connect(stream, token, null)) {
            await().atMost(DELIVERY).until(() -> first.lastEventId() != null);
            beforeIt = first.lastEventId();
            created = orders.publish(tenantA, alice, order, "order_created", 1);
            orders.republish(created);
            confirmed = orders.publish(tenantA, alice, order, "order_updated", 2);
            await().atMost(DELIVERY).until(() -> first.eventIdsOfOrders().contains(confirmed));
            assertThat(first.eventIdsOfOrders()).containsExactly(created, confirmed);
        }
        orders.republish(created);
        String whileAway = orders.publish(tenantA, alice, order, "order_updated", 3);

        // Resumes from before the first copy: it gets the event once (it asked for it again), never a copy.
        try (SseTestClient again = SseTestClient.connect(stream, token, beforeIt)) {
            await().atMost(DELIVERY).until(() -> again.eventIdsOfOrders().contains(whileAway));
            orders.republish(created);
            String cancelled = orders.publish(tenantA, alice, order, "order_cancelled", 4);
            await().atMost(DELIVERY).until(() -> again.eventIdsOfOrders().contains(cancelled));

            assertThat(again.eventIdsOfOrders()).containsExactly(created, confirmed, whileAway, cancelled);
            assertThat(again.events()).noneMatch(event -> "resync".equals(event.event()));
        }
    }

    @Test
    void the_stream_opens_at_once_with_a_comment_and_headers_that_keep_proxies_from_buffering() throws Exception {
        try (SseTestClient client = SseTestClient.connect(stream, TestTokens.of(tenantA, alice, "customer"), null)) {
            assertThat(client.response().statusCode()).isEqualTo(200);
            assertThat(client.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(client.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(client.response().headers().firstValue("X-Accel-Buffering")).hasValue("no");

            await().atMost(DELIVERY).until(() -> !client.frames().isEmpty());
            SseTestClient.Frame first = client.frames().getFirst();
            assertThat(first.comment()).isEqualTo("connected");
            assertThat(first.data()).isNull();
            assertThat(first.id()).matches("[A-Za-z0-9_-]{32,}");
        }
    }

    @Test
    void an_idle_stream_gets_heartbeats_that_carry_a_resumable_id() throws Exception {
        try (SseTestClient client = SseTestClient.connect(stream, TestTokens.of(tenantA, alice, "customer"), null)) {
            orders.publishCreated(tenantB, bob);

            await().atMost(DELIVERY).until(() -> client.frames().stream().anyMatch(f -> "heartbeat".equals(f.comment())));
            assertThat(client.events()).isEmpty();
            assertThat(client.lastEventId()).matches("[A-Za-z0-9_-]{32,}");
        }
    }

    @Test
    void publish_to_delivery_lag_and_connected_clients_are_exported_as_metrics() throws Exception {
        try (SseTestClient staff = SseTestClient.connect(stream, TestTokens.of(tenantA, UUID.randomUUID(), "staff"), null)) {
            String created = orders.publishCreated(tenantA, alice);
            await().atMost(DELIVERY).until(() -> staff.eventIdsOfOrders().contains(created));

            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).containsPattern("(?m)^ragline_stream_lag_seconds_count(\\{.*\\})? [1-9]")
                    .containsPattern("(?m)^ragline_stream_lag_seconds_bucket")
                    .containsPattern("(?m)^ragline_stream_clients(\\{.*\\})? [1-9]");
        }
    }

    @Test
    void a_stream_ends_when_the_token_that_opened_it_expires() throws Exception {
        try (SseTestClient client = SseTestClient.connect(stream, TestTokens.of(tenantA, alice, "customer", 3), null)) {
            assertThat(client.response().statusCode()).isEqualTo(200);

            await().atMost(DELIVERY).until(client::ended);
            assertThat(client.lastEventId()).matches("[A-Za-z0-9_-]{32,}");
        }
    }

    @Test
    void a_stream_without_a_token_is_refused_with_401() {
        given().accept("text/event-stream").when().get("/v1/events/orders").then().statusCode(401);
    }

    @Test
    void a_stream_with_a_tampered_token_is_refused_with_401() {
        String token = TestTokens.of(tenantA, alice, "customer");
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "x." + parts[2];

        given().accept("text/event-stream").auth().oauth2(tampered).when().get("/v1/events/orders").then().statusCode(401);
        given().accept("text/event-stream").auth().oauth2("not-a-jwt").when().get("/v1/events/orders").then()
                .statusCode(401);
    }
}
