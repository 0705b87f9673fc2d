package dev.ragline.worker.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.contracts.EventSchemas;
import dev.ragline.worker.WorkerTopics;
import dev.ragline.worker.support.ApiOutbox;
import dev.ragline.worker.support.OrderEvent;
import dev.ragline.worker.support.OrdersTopic;
import dev.ragline.worker.support.TopicReader;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OrderNotifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WorkerTopics topics;

    @Test
    void a_customer_is_notified_once_per_status_their_order_reaches() throws Exception {
        UUID customer = UUID.randomUUID();
        try (TopicReader notifications = new TopicReader(topics.notifications())) {
            OrderEvent created = OrderEvent.created(ApiOutbox.TENANT_A, UUID.randomUUID(), customer);
            OrderEvent confirmed = created.next("order_updated", "confirmed");
            OrderEvent confirmedAgain = confirmed.next("order_updated", "confirmed");
            OrderEvent cancelled = confirmedAgain.next("order_cancelled", "cancelled");
            ApiOutbox.insert(created, confirmed, confirmedAgain, cancelled);

            notifications.awaitRecords(r -> customer.toString().equals(r.key()), 3, Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> received = notifications.drain(r -> customer.toString().equals(r.key()),
                    Duration.ofSeconds(2));

            assertThat(received).extracting(r -> status(r)).containsExactly("pending", "confirmed", "cancelled");
            for (ConsumerRecord<String, String> record : received) {
                JsonNode body = JSON.readTree(record.value());
                assertThat(EventSchemas.violations(body)).isEmpty();
                assertThat(body.path("tenant_id").asText()).isEqualTo(ApiOutbox.TENANT_A.toString());
                assertThat(body.path("payload").path("order_id").asText()).isEqualTo(created.orderId().toString());
            }
        }
    }

    @Test
    void an_order_event_delivered_twice_notifies_the_customer_once() throws Exception {
        UUID customer = UUID.randomUUID();
        OrderEvent created = OrderEvent.created(UUID.randomUUID(), UUID.randomUUID(), customer);
        try (TopicReader notifications = new TopicReader(topics.notifications());
                OrdersTopic orders = new OrdersTopic(topics.orders())) {
            orders.publish(created);
            orders.publish(created);

            notifications.awaitRecords(r -> customer.toString().equals(r.key()), 1, Duration.ofSeconds(30));
            assertThat(notifications.drain(r -> customer.toString().equals(r.key()), Duration.ofSeconds(3))).hasSize(1);
        }
    }

    private static String status(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).path("payload").path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
