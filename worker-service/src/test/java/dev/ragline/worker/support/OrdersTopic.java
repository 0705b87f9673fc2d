package dev.ragline.worker.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.ragline.contracts.EventHeaders;

/** Publishes straight onto the test orders topic, as the relay would, or with a body the relay never would. */
public final class OrdersTopic implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, String> producer;

    public OrdersTopic(String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092"),
                new StringSerializer(), new StringSerializer());
    }

    public void publish(OrderEvent event) {
        send(event.orderId().toString(), event.envelopeJson(), event.eventId().toString(), event.tenantId().toString());
    }

    public void send(String key, String body, String eventId, String tenantId) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, body);
        if (eventId != null) {
            record.headers().add(new RecordHeader(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8)));
        }
        if (tenantId != null) {
            record.headers().add(new RecordHeader(EventHeaders.TENANT_ID, tenantId.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
