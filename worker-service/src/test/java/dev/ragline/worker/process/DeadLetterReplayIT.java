package dev.ragline.worker.process;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.ragline.worker.support.OrderEvent;
import dev.ragline.worker.support.OrdersTopic;
import dev.ragline.worker.support.Tokens;
import dev.ragline.worker.support.WebhookReceiver;
import io.restassured.http.ContentType;

/** The packaged worker parks a poison delivery while the stream keeps flowing; a replay after the fix delivers it once. */
class DeadLetterReplayIT {

    @Test
    void a_poison_message_is_parked_while_others_flow_and_is_delivered_once_when_replayed_after_the_fix() throws Exception {
        String run = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
        UUID tenant = UUID.randomUUID();
        String ordersTopic = WorkerProcess.ordersTopicOf(run);
        Map<String, String> config = WorkerProcess.isolated(run, tenant);
        try (WebhookReceiver receiver = new WebhookReceiver();
                WorkerProcess worker = new WorkerProcess(run, config).start();
                OrdersTopic orders = new OrdersTopic(ordersTopic)) {
            String admin = Tokens.bearer(tenant, "admin");
            given().baseUri(worker.url("")).header("Authorization", admin).contentType(ContentType.JSON)
                    .body("{\"url\":\"" + receiver.url() + "\",\"secret\":\"a-secret-of-sixteen-chars\"}")
                    .put("/v1/webhooks/destination").then().statusCode(200);

            OrderEvent poison = OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID());
            receiver.refuse(poison.eventId().toString());
            List<OrderEvent> flowing = IntStream.range(0, 20)
                    .mapToObj(i -> OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID())).toList();
            orders.publish(poison);
            flowing.forEach(orders::publish);

            await().atMost(Duration.ofSeconds(60)).until(() -> flowing.stream()
                    .allMatch(event -> receiver.acceptedFor(event.eventId().toString()).size() == 1));
            String id = await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(worker.url(""))
                    .header("Authorization", admin).get("/v1/dlq?status=parked").then().statusCode(200).extract()
                    .jsonPath().getString("items.find { it.event_id == '" + poison.eventId() + "' }.id"),
                    found -> found != null);

            receiver.acceptEverything();
            given().baseUri(worker.url("")).header("Authorization", admin).post("/v1/dlq/{id}/replay", id)
                    .then().statusCode(200).body("status", equalTo("recovered"));
            given().baseUri(worker.url("")).header("Authorization", admin).post("/v1/dlq/{id}/replay", id)
                    .then().statusCode(409);

            assertThat(receiver.acceptedFor(poison.eventId().toString())).hasSize(1);
            assertThat(flowing).allSatisfy(event -> assertThat(receiver.acceptedFor(event.eventId().toString())).hasSize(1));
            given().baseUri(worker.url("")).get("/q/metrics").then()
                    .body(containsString(
                            "ragline_dead_letters_total{outcome=\"recovered\",topic=\"" + ordersTopic + ".dlq\"} 1.0"));
        }
    }
}
