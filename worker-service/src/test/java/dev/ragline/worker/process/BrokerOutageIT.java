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

import dev.ragline.worker.support.ApiOutbox;
import dev.ragline.worker.support.TopicReader;
import dev.ragline.worker.support.WorkerTables;

/**
 * The packaged worker relaying to a broker of the test's own, which is down for 10 s while orders
 * keep coming: the rows wait in the outbox and all go out, in order, when the broker is back.
 */
class BrokerOutageIT {

    @Test
    void rows_written_while_kafka_is_down_are_all_published_in_order_once_it_returns() throws Exception {
        String run = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        UUID tenant = UUID.randomUUID();
        String ordersTopic = WorkerProcess.ordersTopicOf(run);
        try (KafkaBrokerProcess broker = new KafkaBrokerProcess().start()) {
            Map<String, String> config = WorkerProcess.isolated(run, tenant);
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            OrderStream stream = new OrderStream(tenant, 100, 50);
            try (WorkerProcess worker = new WorkerProcess(run, config).start()) {
                stream.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.written().size() >= 40);
                broker.stop();
                Thread.sleep(Duration.ofSeconds(10)); // the outage itself: nothing to wait for but time
                broker.start();

                stream.awaitWritten();
                List<UUID> eventIds = stream.eventIds();
                await().atMost(Duration.ofSeconds(90)).until(() -> ApiOutbox.countUnpublished(eventIds) == 0);
                assertThat(WorkerTables.count("SELECT count(*) FROM api.outbox WHERE attempts > 0 AND event_id = ANY (?)",
                        eventIds)).as("rows that failed during the outage and were retried").isPositive();

                Set<String> orderIds = stream.orderIds().stream().map(UUID::toString).collect(Collectors.toSet());
                try (TopicReader orders = new TopicReader(broker.bootstrapServers(), ordersTopic, true)) {
                    List<ConsumerRecord<String, String>> relayed = orders.awaitEach(r -> orderIds.contains(r.key()),
                            RelayedEvents::eventIdOf, eventIds.stream().map(UUID::toString).toList(),
                            Duration.ofSeconds(60));
                    RelayedEvents.assertCompleteAndOrdered(relayed, eventIds);
                }
            }
        }
    }
}
