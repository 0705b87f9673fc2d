package dev.ragline.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.worker.support.ApiOutbox;
import dev.ragline.worker.support.TopicReader;
import dev.ragline.worker.support.WorkerTables;

/** The packaged worker, SIGKILLed while it relays and consumes a stream of orders, then started again. */
class RelayCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_worker_killed_mid_stream_loses_no_event_and_applies_each_once_after_a_restart() throws Exception {
        String run = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        UUID tenant = UUID.randomUUID();
        String ordersTopic = WorkerProcess.ordersTopicOf(run);
        String notificationsTopic = "ragline.test.worker.it." + run + ".notifications";
        Map<String, String> config = WorkerProcess.isolated(run, tenant);
        config.put("ragline.relay.batch-size", "20");
        // The stream holds after two thirds: the kill lands while the worker relays and consumes, and the last
        // third is written while no worker runs, so the restarted one always has rows to take over.
        OrderStream stream = new OrderStream(tenant, 150, 5).holdingAfter(300);

        try (WorkerProcess first = new WorkerProcess(run + "-first", config).start()) {
            stream.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> WorkerTables.count("""
                    SELECT count(*) FROM worker.processed_events WHERE consumer = 'notifications' AND event_id = ANY (?)
                    """, stream.eventIds()) > 50);
            first.kill();
        } finally {
            stream.release();
        }

        try (WorkerProcess second = new WorkerProcess(run + "-second", config).start();
                TopicReader orders = new TopicReader("127.0.0.1:9092", ordersTopic, true);
                TopicReader notifications = new TopicReader("127.0.0.1:9092", notificationsTopic, true)) {
            stream.awaitWritten();
            List<UUID> eventIds = stream.eventIds();
            assertThat(eventIds).hasSize(stream.totalEvents());
            await().atMost(Duration.ofSeconds(60)).until(() -> ApiOutbox.countUnpublished(eventIds) == 0);

            Set<String> orderIds = stream.orderIds().stream().map(UUID::toString).collect(Collectors.toSet());
            List<String> expectedEventIds = eventIds.stream().map(UUID::toString).toList();
            List<ConsumerRecord<String, String>> relayed = orders.awaitEach(r -> orderIds.contains(r.key()),
                    RelayedEvents::eventIdOf, expectedEventIds, Duration.ofSeconds(60));
            RelayedEvents.assertCompleteAndOrdered(relayed, eventIds);

            // Applied once: one idempotency record and one announced status per event, one notification id each.
            await().atMost(Duration.ofSeconds(60)).until(() -> WorkerTables.count("""
                    SELECT count(*) FROM worker.processed_events WHERE consumer = 'notifications' AND event_id = ANY (?)
                    """, eventIds) == eventIds.size());
            assertThat(WorkerTables.count("SELECT count(*) FROM worker.notified_order_statuses WHERE order_id = ANY (?)",
                    stream.orderIds())).isEqualTo(eventIds.size());
            // A notification sent just before the kill, whose batch never committed, is sent again: one id per event
            // however many copies, and every event announced.
            List<ConsumerRecord<String, String>> notices = notifications.awaitEach(r -> true,
                    RelayCrashIT::sourceEventId, expectedEventIds, Duration.ofSeconds(60));
            Map<String, Set<String>> notificationIdsBySource = notices.stream().collect(Collectors.groupingBy(
                    RelayCrashIT::sourceEventId, Collectors.mapping(RelayedEvents::eventIdOf, Collectors.toSet())));
            assertThat(notificationIdsBySource).hasSize(eventIds.size())
                    .allSatisfy((source, notificationIds) -> assertThat(notificationIds).hasSize(1));
        }
    }

    private static String sourceEventId(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).path("payload").path("source_event_id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
