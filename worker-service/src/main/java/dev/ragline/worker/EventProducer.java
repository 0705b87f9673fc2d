package dev.ragline.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The worker's one Kafka producer, shared by the relay, the notifications and the dead letters. It is
 * idempotent with {@code acks=all}: a record counts as sent only when every in-sync replica has it, and
 * the broker drops the producer's own retries, so a partition keeps the order records were sent in.
 */
@ApplicationScoped
public class EventProducer {

    private final KafkaProducer<String, String> producer;

    EventProducer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "worker-service-" + ProcessHandle.current().pid(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                // No linger: the relay waits for a whole batch's acks, and records sent while a request is in flight
                // are batched anyway, so a linger would only add its time to every event's latency.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // A dead broker must not stall a batch for minutes: its rows go back to the outbox and retry.
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000),
                new StringSerializer(), new StringSerializer());
    }

    /** Completes when the broker acknowledged the record, exceptionally when it did not. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acknowledged.completeExceptionally(error);
                } else {
                    acknowledged.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    /** Sends and waits for the acknowledgement; throws {@link IllegalStateException} when there is none in time. */
    public RecordMetadata sendAndAwait(ProducerRecord<String, String> record, Duration timeout) {
        try {
            return send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Record for " + record.topic() + " not acknowledged: " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Record for " + record.topic() + " not acknowledged within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker", e);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
