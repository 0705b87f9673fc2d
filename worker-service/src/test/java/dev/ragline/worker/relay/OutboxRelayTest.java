package dev.ragline.worker.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.contracts.EventHeaders;
import dev.ragline.contracts.EventSchemas;
import dev.ragline.worker.WorkerTopics;
import dev.ragline.worker.support.ApiOutbox;
import dev.ragline.worker.support.OrderEvent;
import dev.ragline.worker.support.TopicReader;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OutboxRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WorkerTopics topics;

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxPruner pruner;

    @Inject
    OutboxRepository outbox;

    @Inject
    OutboxBacklog backlog;

    @Test
    void an_order_event_is_published_keyed_by_its_order_with_headers_and_a_body_valid_against_the_contract() throws Exception {
        try (TopicReader orders = new TopicReader(topics.orders())) {
            OrderEvent created = OrderEvent.created(ApiOutbox.TENANT_A, UUID.randomUUID(), UUID.randomUUID());
            OrderEvent confirmed = created.next("order_updated", "confirmed");
            ApiOutbox.insert(created, confirmed);

            List<ConsumerRecord<String, String>> records = orders.awaitRecords(
                    r -> created.orderId().toString().equals(r.key()), 2, Duration.ofSeconds(20));

            ConsumerRecord<String, String> first = records.get(0);
            assertThat(header(first, EventHeaders.EVENT_ID)).isEqualTo(created.eventId().toString());
            assertThat(header(first, EventHeaders.EVENT_TYPE)).isEqualTo("order_created");
            assertThat(header(first, EventHeaders.TENANT_ID)).isEqualTo(ApiOutbox.TENANT_A.toString());
            assertThat(header(first, EventHeaders.TRACEPARENT)).startsWith("00-");
            for (ConsumerRecord<String, String> record : records) {
                JsonNode body = JSON.readTree(record.value());
                assertThat(EventSchemas.violations(body)).isEmpty();
                assertThat(body.path("aggregate_id").asText()).isEqualTo(created.orderId().toString());
            }
            assertThat(records).extracting(r -> header(r, EventHeaders.EVENT_ID))
                    .containsExactly(created.eventId().toString(), confirmed.eventId().toString());
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> ApiOutbox.countUnpublished(List.of(created.eventId(), confirmed.eventId())) == 0);
        }
    }

    @Test
    void a_relayed_event_continues_the_trace_of_its_change_under_the_relays_publish_while_its_envelope_keeps_the_change()
            throws Exception {
        try (TopicReader orders = new TopicReader(topics.orders())) {
            OrderEvent created = OrderEvent.created(ApiOutbox.TENANT_A, UUID.randomUUID(), UUID.randomUUID());
            ApiOutbox.insert(created);
            String rowTraceparent = "00-" + created.eventId().toString().replace("-", "") + "-00f067aa0ba902b7-01";

            ConsumerRecord<String, String> record = orders.awaitRecords(
                    r -> created.orderId().toString().equals(r.key()), 1, Duration.ofSeconds(20)).get(0);

            String header = header(record, EventHeaders.TRACEPARENT);
            assertThat(header).startsWith(rowTraceparent.substring(0, 36)).isNotEqualTo(rowTraceparent);
            assertThat(JSON.readTree(record.value()).path("traceparent").asText()).isEqualTo(rowTraceparent);
        }
    }

    @Test
    void a_product_change_goes_to_the_products_topic_keyed_by_product() throws Exception {
        UUID productId = UUID.randomUUID();
        try (TopicReader products = new TopicReader(topics.products())) {
            UUID eventId = ApiOutbox.insertProductUpserted(ApiOutbox.TENANT_B, productId, 1);

            ConsumerRecord<String, String> record = products.awaitRecords(r -> productId.toString().equals(r.key()), 1,
                    Duration.ofSeconds(20)).get(0);

            assertThat(header(record, EventHeaders.EVENT_ID)).isEqualTo(eventId.toString());
            assertThat(header(record, EventHeaders.EVENT_TYPE)).isEqualTo("product_upserted");
            assertThat(EventSchemas.violations(JSON.readTree(record.value()))).isEmpty();
        }
    }

    @Test
    void the_relay_reports_its_commit_to_publish_lag_and_batch_durations_to_prometheus() {
        ApiOutbox.insert(OrderEvent.created(ApiOutbox.TENANT_A, UUID.randomUUID(), UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("ragline_outbox_lag_seconds_bucket"))
                .body(containsString("ragline_outbox_published_total"))
                .body(containsString("ragline_worker_task_duration_seconds_count{task=\"relay_batch\"}")));
    }

    @Test
    void events_of_each_order_reach_kafka_in_version_order_while_several_replicas_relay_at_once() throws Exception {
        int orderCount = 40;
        int versions = 5;
        ExecutorService replicas = Executors.newFixedThreadPool(3);
        AtomicBoolean relaying = new AtomicBoolean(true);
        try (TopicReader orders = new TopicReader(topics.orders())) {
            // Three more relays compete with the application's own loop for the same rows.
            for (int i = 0; i < 3; i++) {
                replicas.submit(() -> {
                    while (relaying.get()) {
                        relay.relayBatch();
                    }
                    return null;
                });
            }
            Set<String> orderIds = new java.util.HashSet<>();
            List<OrderEvent> latest = new ArrayList<>();
            for (int i = 0; i < orderCount; i++) {
                OrderEvent created = OrderEvent.created(i % 2 == 0 ? ApiOutbox.TENANT_A : ApiOutbox.TENANT_B,
                        UUID.randomUUID(), UUID.randomUUID());
                orderIds.add(created.orderId().toString());
                latest.add(created);
                ApiOutbox.insert(created);
            }
            String[] statuses = { "confirmed", "preparing", "ready", "completed" };
            for (int v = 0; v < versions - 1; v++) {
                for (int i = 0; i < orderCount; i++) {
                    OrderEvent next = latest.get(i).next("order_updated", statuses[v]);
                    latest.set(i, next);
                    ApiOutbox.insert(next);
                }
            }

            List<ConsumerRecord<String, String>> records = orders.awaitRecords(r -> orderIds.contains(r.key()),
                    orderCount * versions, Duration.ofSeconds(60));

            Map<String, List<Long>> versionsByOrder = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                versionsByOrder.computeIfAbsent(record.key(), k -> new ArrayList<>())
                        .add(JSON.readTree(record.value()).path("aggregate_version").asLong());
            }
            assertThat(versionsByOrder).hasSize(orderCount);
            assertThat(versionsByOrder.values()).allSatisfy(seen -> assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L));
        } finally {
            relaying.set(false);
            replicas.shutdown();
        }
    }

    @Test
    void published_rows_are_pruned_once_older_than_the_retention_and_recent_ones_are_kept() {
        OrderEvent old = OrderEvent.created(ApiOutbox.TENANT_C, UUID.randomUUID(), UUID.randomUUID());
        OrderEvent recent = OrderEvent.created(ApiOutbox.TENANT_C, UUID.randomUUID(), UUID.randomUUID());
        ApiOutbox.insert(old, recent);
        List<UUID> both = List.of(old.eventId(), recent.eventId());
        await().atMost(Duration.ofSeconds(20)).until(() -> ApiOutbox.countUnpublished(both) == 0);
        ApiOutbox.markPublishedAt(old.eventId(), Instant.now().minus(Duration.ofDays(2)));

        pruner.prune();

        assertThat(ApiOutbox.countPresent(List.of(old.eventId()))).isZero();
        assertThat(ApiOutbox.countPresent(List.of(recent.eventId()))).isOne();
    }

    @Test
    void the_backlog_counts_the_unpublished_rows_of_the_relays_tenants_up_to_its_cap() {
        // A tenant this relay does not serve, so nothing publishes these rows while they are counted.
        UUID elsewhere = UUID.randomUUID();
        OrderEvent created = OrderEvent.created(elsewhere, UUID.randomUUID(), UUID.randomUUID());
        OrderEvent confirmed = created.next("order_updated", "confirmed");
        OrderEvent preparing = confirmed.next("order_updated", "preparing");
        ApiOutbox.insert(created, confirmed, preparing);
        try {
            ApiOutbox.markPublishedAt(created.eventId(), Instant.now());

            assertThat(outbox.countUnpublished(Set.of(elsewhere), 100)).isEqualTo(2);
            assertThat(outbox.countUnpublished(Set.of(elsewhere), 1)).isEqualTo(1);
        } finally {
            ApiOutbox.delete(List.of(created.eventId(), confirmed.eventId(), preparing.eventId()));
        }
    }

    @Test
    void the_backlog_is_exported_as_a_gauge() {
        backlog.refresh();

        given().get("/q/metrics").then().statusCode(200).body(containsString("ragline_outbox_backlog "));
    }

    @Test
    void a_failed_row_waits_twice_as_long_after_each_attempt_up_to_the_cap() {
        assertThat(relay.backoff(0)).isEqualTo(Duration.ofMillis(200));
        assertThat(relay.backoff(3)).isEqualTo(Duration.ofMillis(1600));
        assertThat(relay.backoff(30)).isEqualTo(Duration.ofSeconds(10));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
