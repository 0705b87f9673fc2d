package dev.ragline.worker.deadletter;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import dev.ragline.contracts.EventHeaders;
import dev.ragline.contracts.Topics;
import dev.ragline.worker.EventProducer;
import dev.ragline.worker.KafkaHeaders;
import dev.ragline.worker.Transactions;
import dev.ragline.worker.consumer.DeadLetterHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Parks messages a consumer gave up on ({@code <topic>.dlq} plus an index row) and replays them
 * through the consumer that failed, once its cause is fixed. Counts both, per dead-letter topic, as
 * {@code ragline_dead_letters_total{outcome="parked"|"recovered"}}.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String CAUSE_HEADER = "dead_letter_cause";
    public static final String CONSUMER_HEADER = "dead_letter_consumer";
    public static final String SOURCE_TOPIC_HEADER = "dead_letter_source_topic";
    public static final String SOURCE_PARTITION_HEADER = "dead_letter_source_partition";
    public static final String SOURCE_OFFSET_HEADER = "dead_letter_source_offset";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final DeadLetterRepository letters;
    private final EventProducer producer;
    private final Instance<DeadLetterHandler> handlers;
    private final MeterRegistry metrics;
    private volatile boolean stopping;

    DeadLetters(DeadLetterRepository letters, EventProducer producer, Instance<DeadLetterHandler> handlers,
            MeterRegistry metrics) {
        this.letters = letters;
        this.producer = producer;
        this.handlers = handlers;
        this.metrics = metrics;
    }

    /**
     * Applies the record through the handler; parks it when the handler gives up on it. While the
     * service shuts down, failures come from its own closing pools, not from the message: the record
     * is then nacked instead, so its offset stays uncommitted and it is redelivered after the restart.
     */
    public void applyOrPark(DeadLetterHandler handler, ConsumerRecord<String, String> record) {
        try {
            handler.apply(record.key(), record.value());
        } catch (RuntimeException e) {
            failed(handler, record, e);
        }
    }

    /**
     * The handler gave up on the record: it is parked, unless the service is shutting down, when the failure is
     * rethrown so that the record (or the batch holding it) is nacked and redelivered after the restart.
     */
    public void failed(DeadLetterHandler handler, ConsumerRecord<String, String> record, RuntimeException cause) {
        if (stopping) {
            throw new IllegalStateException("Shutting down: " + record.topic() + "/" + record.partition() + "@"
                    + record.offset() + " is left for redelivery", cause);
        }
        park(handler.consumerName(), record, cause);
    }

    /** True once the service shuts down: failures then come from its closing pools rather than from messages. */
    public boolean stopping() {
        return stopping;
    }

    void stopping(@Observes ShutdownEvent shutdown) {
        stopping = true;
    }

    /**
     * Parks the record. Keeps trying until it is both on the dead-letter topic and indexed: the caller
     * acknowledges the record only afterwards, so a message is never dropped on the way to the DLQ.
     */
    public void park(String consumer, ConsumerRecord<String, String> record, Throwable cause) {
        String deadLetterTopic = Topics.deadLetterTopicOf(record.topic());
        String reason = describe(cause);
        ProducerRecord<String, String> parked = new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value());
        for (Header header : record.headers()) {
            parked.headers().add(header);
        }
        KafkaHeaders.put(parked, CAUSE_HEADER, reason);
        KafkaHeaders.put(parked, CONSUMER_HEADER, consumer);
        KafkaHeaders.put(parked, SOURCE_TOPIC_HEADER, record.topic());
        KafkaHeaders.put(parked, SOURCE_PARTITION_HEADER, Integer.toString(record.partition()));
        KafkaHeaders.put(parked, SOURCE_OFFSET_HEADER, Long.toString(record.offset()));
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), consumer, record.topic(), record.partition(), record.offset(),
                uuidHeader(record, EventHeaders.TENANT_ID), uuidHeader(record, EventHeaders.EVENT_ID), record.key(),
                record.value() == null ? "" : record.value(), reason, DeadLetter.PARKED, 0, null, Instant.now(), null);
        Duration pause = Duration.ofMillis(200);
        while (true) {
            try {
                producer.sendAndAwait(parked, Duration.ofSeconds(10));
                letters.insert(letter);
                break;
            } catch (RuntimeException e) {
                if (stopping || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.warnf("Could not park a dead letter of %s on %s yet, retrying in %s: %s", consumer, deadLetterTopic, pause,
                        e);
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : pause.multipliedBy(2);
            }
        }
        LOG.warnf("Parked %s/%d@%d of %s on %s: %s", record.topic(), record.partition(), record.offset(), consumer,
                deadLetterTopic, reason);
        count(deadLetterTopic, "parked");
    }

    /**
     * Applies a parked message again through the consumer that failed it. {@code tenantScope} empty
     * means any tenant's letter (platform admin).
     */
    public DeadLetter replay(UUID id, Optional<UUID> tenantScope) {
        DeadLetter recovered;
        try {
            recovered = Transactions.inTransaction(letters.pool(), connection -> {
                DeadLetter letter = letters.lockForReplay(connection, id, tenantScope)
                        .orElseThrow(() -> new DeadLetterNotFoundException(id));
                if (DeadLetter.RECOVERED.equals(letter.status())) {
                    throw new ReplayRejectedException("Dead letter " + id + " was already recovered");
                }
                handlerOf(letter.consumer()).apply(letter.key(), letter.body());
                letters.markRecovered(connection, id);
                return letter;
            });
        } catch (DeadLetterNotFoundException | ReplayRejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            letters.recordFailedReplay(letters.pool(), id, describe(e));
            throw new ReplayRejectedException("Dead letter " + id + " still fails: " + describe(e));
        }
        count(recovered.deadLetterTopic(), "recovered");
        return letters.find(id).orElseThrow();
    }

    private DeadLetterHandler handlerOf(String consumer) {
        for (DeadLetterHandler handler : handlers) {
            if (handler.consumerName().equals(consumer)) {
                return handler;
            }
        }
        throw new ReplayRejectedException("No consumer named " + consumer + " can replay this dead letter");
    }

    private void count(String deadLetterTopic, String outcome) {
        Counter.builder("ragline.dead.letters").tag("topic", deadLetterTopic).tag("outcome", outcome)
                .description("Dead letters parked and recovered by replay, per dead-letter topic").register(metrics)
                .increment();
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static UUID uuidHeader(ConsumerRecord<String, String> record, String name) {
        String value = KafkaHeaders.get(record, name);
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while parking a dead letter", e);
        }
    }
}
