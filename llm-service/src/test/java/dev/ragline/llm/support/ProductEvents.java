package dev.ragline.llm.support;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.contracts.EventSchemas;

/** Publishes product_v1 events, as worker-service relays them from api-service's outbox, to the test topic. */
public final class ProductEvents implements AutoCloseable {

    public static final String TOPIC = "ragline.test.products.llm";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KafkaProducer<String, String> producer;

    public ProductEvents() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    public record Product(UUID tenantId, UUID id, String name, String description, String category, String price,
            List<String> tags, boolean available) {

        public static Product of(UUID tenantId, String name, String description, String category, String price,
                List<String> tags) {
            return new Product(tenantId, UUID.randomUUID(), name, description, category, price, tags, true);
        }

        public Product withPrice(String newPrice) {
            return new Product(tenantId, id, name, description, category, newPrice, tags, available);
        }

        public Product unavailable() {
            return new Product(tenantId, id, name, description, category, price, tags, false);
        }

        public String sku() {
            return "SKU-" + id.toString().substring(0, 8);
        }
    }

    public UUID upserted(Product product, long version) {
        ObjectNode payload = MAPPER.createObjectNode()
                .put("product_id", product.id().toString())
                .put("sku", product.sku())
                .put("name", product.name())
                .put("description", product.description())
                .put("price", new BigDecimal(product.price()))
                .put("currency", "EUR")
                .put("category", product.category())
                .put("available", product.available())
                .put("updated_at", Instant.now().toString());
        product.tags().forEach(payload.putArray("tags")::add);
        return publish(product, "product_upserted", version, payload);
    }

    public UUID deleted(Product product, long version) {
        ObjectNode payload = MAPPER.createObjectNode()
                .put("product_id", product.id().toString())
                .put("sku", product.sku());
        return publish(product, "product_deleted", version, payload);
    }

    /** Sends exactly the same record again, as Kafka does after a consumer crash before its commit. */
    public void redeliver(UUID eventId, Product product, String type, long version) {
        ObjectNode payload = MAPPER.createObjectNode().put("product_id", product.id().toString())
                .put("sku", product.sku());
        send(product, envelope(eventId, product, type, version, payload));
    }

    private UUID publish(Product product, String type, long version, ObjectNode payload) {
        UUID eventId = UUID.randomUUID();
        send(product, envelope(eventId, product, type, version, payload));
        return eventId;
    }

    private static ObjectNode envelope(UUID eventId, Product product, String type, long version, ObjectNode payload) {
        ObjectNode event = MAPPER.createObjectNode()
                .put("event_id", eventId.toString())
                .put("event_type", type)
                .put("version", 1)
                .put("tenant_id", product.tenantId().toString())
                .put("aggregate_id", product.id().toString())
                .put("aggregate_version", version)
                .put("occurred_at", Instant.now().toString());
        event.putNull("traceparent");
        event.set("payload", payload);
        List<String> violations = EventSchemas.violations(event);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("Test fixture breaks product_v1: " + violations);
        }
        return event;
    }

    private void send(Product product, ObjectNode event) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, product.id().toString(), event.toString()))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not publish a product event", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
