package dev.ragline.llm.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads what llm-service published to the test chat-tools topic, for one session. */
public final class ChatToolEvents {

    public static final String TOPIC = "ragline.test.chat_tools.llm";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public record Published(String key, JsonNode event, String eventTypeHeader) {
    }

    public static List<Published> ofSession(UUID sessionId, int expected) {
        return ofSession(TOPIC, sessionId, expected, Duration.ofSeconds(30));
    }

    /** What reached {@code topic} for this session within {@code wait} (returns early once it has {@code expected}). */
    public static List<Published> ofSession(String topic, UUID sessionId, int expected, Duration wait) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "llm-test-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Published> found = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + wait.toMillis();
            while (found.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (sessionId.toString().equals(record.key())) {
                        var header = record.headers().lastHeader("event_type");
                        found.add(new Published(record.key(), read(record.value()),
                                header == null ? null : new String(header.value())));
                    }
                }
            }
        }
        return new ArrayList<>(found);
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ChatToolEvents() {
    }
}
