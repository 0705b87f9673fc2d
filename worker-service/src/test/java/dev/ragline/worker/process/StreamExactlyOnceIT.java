package dev.ragline.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import dev.ragline.worker.support.ApiOutbox;
import dev.ragline.worker.support.OrderEvent;
import dev.ragline.worker.support.SseClient;
import dev.ragline.worker.support.Tokens;
import dev.ragline.worker.support.TopicReader;

/**
 * What a customer's browser sees of a worker crash: the packaged worker is SIGKILLed while it relays
 * orders, so after its restart the relay re-publishes what it had sent but not marked published; in
 * between, the browser's EventSource reconnects with its Last-Event-ID. Across both connections every
 * order event arrives exactly once.
 */
class StreamExactlyOnceIT {

    private static final Logger LOG = Logger.getLogger(StreamExactlyOnceIT.class);
    private static final String BOOTSTRAP = "127.0.0.1:9092";

    @Test
    void a_browser_reconnecting_across_a_worker_crash_sees_every_order_event_exactly_once() throws Exception {
        String run = "once-" + UUID.randomUUID().toString().substring(0, 8);
        UUID tenant = UUID.randomUUID();
        String ordersTopic = WorkerProcess.ordersTopicOf(run);
        Map<String, String> config = WorkerProcess.isolated(run, tenant);
        config.put("ragline.relay.batch-size", "20");
        OrderStream stream = new OrderStream(tenant, 100, 20).holdingAfter(200);
        String token = Tokens.of(tenant, "staff");

        try (ApiServiceProcess api = ApiServiceProcess.start(run, ordersTopic)) {
            SseClient before = SseClient.connect(api.uri("/v1/events/orders"), token, null);
            try (WorkerProcess first = new WorkerProcess(run + "-first", config).start()) {
                stream.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> before.eventIdsOfOrders().size() > 60);
                first.kill();
            } finally {
                stream.release();
            }
            // The browser loses its connection too, and comes back with the id of the last frame it got.
            await().atMost(Duration.ofSeconds(10)).until(() -> before.lastEventId() != null);
            String lastEventId = before.lastEventId();
            before.close();
            List<String> seenBefore = List.copyOf(before.eventIdsOfOrders());

            try (WorkerProcess second = new WorkerProcess(run + "-second", config).start();
                    SseClient after = SseClient.connect(api.uri("/v1/events/orders"), token, lastEventId)) {
                stream.awaitWritten();
                List<UUID> eventIds = stream.eventIds();
                await().atMost(Duration.ofSeconds(60)).until(() -> ApiOutbox.countUnpublished(eventIds) == 0);
                // However the kill fell, some copies are certain: re-publish a few early events as the relay would.
                List<OrderEvent> copied = stream.written().subList(0, 5);
                republish(ordersTopic, copied);

                Set<String> expected = eventIds.stream().map(UUID::toString).collect(Collectors.toSet());
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    Set<String> all = new java.util.HashSet<>(seenBefore);
                    all.addAll(after.eventIdsOfOrders());
                    return all.containsAll(expected);
                });
                // The deliberate copies sit behind the originals on their orders' partitions; a later event of each of
                // those orders, once it arrived, shows that any copy that got through would have arrived too.
                List<OrderEvent> markers = copied.stream().map(event -> new OrderEvent(UUID.randomUUID(), "order_updated",
                        tenant, event.orderId(), event.userId(), 4, "ready")).toList();
                ApiOutbox.insert(markers.toArray(OrderEvent[]::new));
                List<String> markerIds = markers.stream().map(event -> event.eventId().toString()).toList();
                await().atMost(Duration.ofSeconds(30)).until(() -> after.eventIdsOfOrders().containsAll(markerIds));

                long copiesInTopic = copiesIn(ordersTopic, expected);
                LOG.infof("%d copies in the topic, %d events seen before the reconnect, %d after", copiesInTopic,
                        seenBefore.size(), after.eventIdsOfOrders().size());
                assertThat(copiesInTopic).as("the topic holds re-published copies").isGreaterThanOrEqualTo(copied.size());

                List<String> delivered = new ArrayList<>(seenBefore);
                delivered.addAll(after.eventIdsOfOrders());
                delivered.removeAll(markerIds);
                assertThat(delivered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
                assertThat(after.events()).noneMatch(event -> "resync".equals(event.event()));
            }
        }
    }

    private static void republish(String topic, List<OrderEvent> events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (OrderEvent event : events) {
                producer.send(new ProducerRecord<>(topic, event.orderId().toString(), event.envelopeJson())).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not re-publish", e);
        }
    }

    /** Records of the topic beyond the first one of each event id. */
    private static long copiesIn(String topic, Set<String> eventIds) {
        try (TopicReader reader = new TopicReader(BOOTSTRAP, topic, true)) {
            List<ConsumerRecord<String, String>> records = reader.drain(r -> true, Duration.ofSeconds(3));
            Map<String, Long> perId = records.stream().map(RelayedEvents::eventIdOf).filter(eventIds::contains)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            return perId.values().stream().mapToLong(count -> count - 1).sum();
        }
    }
}
