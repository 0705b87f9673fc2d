package dev.ragline.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.contracts.EventHeaders;
import dev.ragline.contracts.EventSchemas;

/**
 * Publishes order events to the stream's test topic the way worker-service's relay does: keyed by
 * order id, a contracts envelope that validates against order_v1.json, and the contract headers.
 */
final class OrderEventProducer implements AutoCloseable {

    static final int PARTITIONS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final Map<String, ProducerRecord<String, String>> sent = new java.util.concurrent.ConcurrentHashMap<>();

    /** To the topic the @QuarkusTest application follows. */
    OrderEventProducer() {
        this(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConfigProvider.getConfig().getValue("ragline.order-stream.topic", String.class));
    }

    OrderEventProducer(String bootstrap, String topic) {
        this.topic = topic;
        createTopic(bootstrap, topic);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(properties);
    }

    /** Publishes a change of the order and waits for the broker's acknowledgement; returns its event_id. */
    String publish(UUID tenant, UUID customer, UUID order, String eventType, long aggregateVersion) {
        ObjectNode envelope = envelope(tenant, customer, order, eventType, aggregateVersion);
        assertThat(EventSchemas.violations(envelope)).as("test event follows order_v1.json").isEmpty();
        String eventId = envelope.get("event_id").asText();
        var record = new ProducerRecord<>(topic, order.toString(), envelope.toString());
        record.headers()
                .add(EventHeaders.EVENT_ID, bytes(eventId))
                .add(EventHeaders.EVENT_TYPE, bytes(eventType))
                .add(EventHeaders.TENANT_ID, bytes(tenant.toString()))
                .add(EventHeaders.TRACEPARENT, bytes(envelope.get("traceparent").asText()));
        send(record);
        sent.put(eventId, record);
        return eventId;
    }

    /**
     * Publishes the very same record again, as the relay does for rows it sent but could not mark published
     * before it crashed: same key (so the same partition), same envelope and headers, a later offset.
     */
    void republish(String eventId) {
        ProducerRecord<String, String> first = sent.get(eventId);
        send(new ProducerRecord<>(first.topic(), null, first.key(), first.value(), first.headers()));
    }

    private void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish a test order event", e);
        }
    }

    String publishCreated(UUID tenant, UUID customer) {
        return publish(tenant, customer, UUID.randomUUID(), "order_created", 1);
    }

    private static ObjectNode envelope(UUID tenant, UUID customer, UUID order, String eventType, long version) {
        String now = Instant.now().toString();
        ObjectNode envelope = JSON.createObjectNode()
                .put("event_id", UUID.randomUUID().toString())
                .put("event_type", eventType)
                .put("version", 1)
                .put("tenant_id", tenant.toString())
                .put("aggregate_id", order.toString())
                .put("aggregate_version", version)
                .put("occurred_at", now)
                .put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ObjectNode payload = envelope.putObject("payload")
                .put("order_id", order.toString())
                .put("user_id", customer.toString())
                .put("status", "order_cancelled".equals(eventType) ? "cancelled" : "pending");
        payload.putArray("items").addObject()
                .put("product_id", UUID.randomUUID().toString())
                .put("sku", "PIZ-MARG")
                .put("name", "Pizza Margherita")
                .put("quantity", 2)
                .put("unit_price", new BigDecimal("9.50"))
                .put("line_total", new BigDecimal("19.00"));
        payload.putNull("promo_code");
        payload.put("subtotal", new BigDecimal("19.00"))
                .put("discount", new BigDecimal("0.00"))
                .put("total", new BigDecimal("19.00"))
                .put("currency", "EUR")
                .put("created_at", now)
                .put("updated_at", now);
        return envelope;
    }

    private static void createTopic(String bootstrap, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (!existing.contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create " + topic, e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create " + topic, e);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
