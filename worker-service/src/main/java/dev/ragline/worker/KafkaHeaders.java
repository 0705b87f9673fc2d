package dev.ragline.worker;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** UTF-8 string headers on Kafka records. */
public final class KafkaHeaders {

    /** Sets the header, replacing one of the same name. */
    public static void put(ProducerRecord<String, String> record, String name, String value) {
        record.headers().remove(name);
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The last value of the header, or null. */
    public static String get(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private KafkaHeaders() {
    }
}
