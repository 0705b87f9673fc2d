package dev.ragline.llm.conversation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything published so far to one of the scenario's own topics, read from the start by a fresh group. */
final class TopicRecords {

    static List<ConsumerRecord<String, String>> of(String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ScenarioTopics.BOOTSTRAP,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            // Polls until the group has its assignment and a poll comes back empty: the topic is read to its end.
            boolean assigned = false;
            for (int polls = 0; polls < 40; polls++) {
                var batch = consumer.poll(Duration.ofMillis(500));
                batch.forEach(records::add);
                assigned |= !consumer.assignment().isEmpty();
                if (assigned && batch.isEmpty() && !records.isEmpty()) {
                    break;
                }
            }
        }
        return records;
    }

    private TopicRecords() {
    }
}
