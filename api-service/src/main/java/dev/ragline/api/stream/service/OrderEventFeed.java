package dev.ragline.api.stream.service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.api.stream.OrderStreamConfig;
import dev.ragline.api.stream.OrderStreamEvent;
import dev.ragline.contracts.EventHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads every order event of the topic into the {@link OrderEventHub}. Each replica serves every
 * client, so each must see every event: the consumer assigns itself all partitions and belongs to
 * no consumer group (nothing is committed; nothing is shared with other replicas). At start it
 * seeks to the events published within the replay window, so a fresh replica can resume clients
 * that another replica served. One thread per replica, however many clients.
 */
@ApplicationScoped
public class OrderEventFeed {

    private static final Logger LOG = Logger.getLogger(OrderEventFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final OrderStreamConfig config;
    private final OrderEventHub hub;
    private final ObjectMapper json;
    private final Tracer tracer;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    OrderEventFeed(OrderStreamConfig config, OrderEventHub hub, ObjectMapper json, Tracer tracer) {
        this.tracer = tracer;
        this.config = config;
        this.hub = hub;
        this.json = json;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = Thread.ofPlatform().name("order-stream-feed").daemon().start(this::run);
    }

    /**
     * Ends the open streams as soon as shutdown begins: the HTTP server then waits for requests in flight
     * (QUARKUS_SHUTDOWN_TIMEOUT), and an open stream would hold that wait to its end. The clients reconnect
     * with their Last-Event-ID to another replica.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent shutdownBegins) {
        hub.closeAll();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        hub.closeAll();
        if (thread != null) {
            thread.join(Duration.ofSeconds(5));
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerProperties())) {
                consumer = kafka;
                follow(kafka);
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "Order stream feed failed on %s; reconnecting", config.topic());
                pause(RETRY);
            }
        }
    }

    private void follow(KafkaConsumer<String, String> kafka) {
        int assigned = 0;
        long nextPartitionCheck = 0;
        while (running) {
            if (System.currentTimeMillis() >= nextPartitionCheck) {
                assigned = assignNewPartitions(kafka, assigned);
                nextPartitionCheck = System.currentTimeMillis()
                        + (assigned == 0 ? RETRY : config.partitionRefreshInterval()).toMillis();
            }
            if (assigned == 0) {
                pause(RETRY);
                continue;
            }
            for (ConsumerRecord<String, String> record : kafka.poll(POLL)) {
                toEvent(record).ifPresentOrElse(event -> deliver(record, event),
                        () -> hub.skip(record.partition(), record.offset()));
            }
        }
    }

    /** Assigns partitions the topic gained (all of them at first), starting at the replay window. */
    private int assignNewPartitions(KafkaConsumer<String, String> kafka, int assigned) {
        List<TopicPartition> partitions = kafka.partitionsFor(config.topic(), Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .toList();
        if (partitions.size() <= assigned) {
            return assigned;
        }
        List<TopicPartition> added = partitions.stream().filter(p -> p.partition() >= assigned).toList();
        kafka.assign(partitions);
        long now = System.currentTimeMillis();
        Map<TopicPartition, Long> replayFrom = offsetsAt(kafka, added, now - config.replayWindow().toMillis());
        // Reading starts earlier, so the hub knows the ids a re-published copy in the window would repeat.
        Map<TopicPartition, Long> historyFrom = offsetsAt(kafka, added,
                now - Math.max(config.dedupWindow().toMillis(), config.replayWindow().toMillis()));
        long[] firstOffsets = new long[partitions.size()];
        for (TopicPartition partition : added) {
            kafka.seek(partition, historyFrom.get(partition));
            firstOffsets[partition.partition()] = replayFrom.get(partition);
        }
        hub.startAt(firstOffsets);
        LOG.infof("Order stream follows %s, %d partitions, replaying from %s, learning event ids from %s", config.topic(),
                partitions.size(), Arrays.toString(firstOffsets), historyFrom.values());
        return partitions.size();
    }

    private static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<String, String> kafka, List<TopicPartition> partitions,
            long timestamp) {
        Map<TopicPartition, Long> since = new HashMap<>();
        partitions.forEach(partition -> since.put(partition, timestamp));
        Map<TopicPartition, OffsetAndTimestamp> found = kafka.offsetsForTimes(since, Duration.ofSeconds(10));
        Map<TopicPartition, Long> ends = kafka.endOffsets(partitions, Duration.ofSeconds(10));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp first = found.get(partition);
            offsets.put(partition, first != null ? first.offset() : ends.get(partition));
        }
        return offsets;
    }

    /**
     * Hands the event to the hub (the open streams of its tenant) under a span that continues the record's
     * trace (its header: the relay's publish), so an order's trace ends at the stream delivery.
     */
    private void deliver(ConsumerRecord<String, String> record, OrderStreamEvent event) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), record, HEADERS);
        Span span = tracer.spanBuilder(record.topic() + " deliver order-stream").setParent(parent)
                .setSpanKind(SpanKind.CONSUMER).setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.operation.type", "process").setAttribute("tenant_id", event.tenantId().toString())
                .startSpan();
        if (event.eventId() != null) {
            span.setAttribute("ragline.event_id", event.eventId().toString());
        }
        try {
            hub.publish(event);
        } finally {
            span.end();
        }
    }

    private static final TextMapGetter<ConsumerRecord<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ConsumerRecord<String, String> record) {
            List<String> keys = new java.util.ArrayList<>();
            record.headers().forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(ConsumerRecord<String, String> record, String key) {
            return record == null ? null : header(record, key);
        }
    };

    private Optional<OrderStreamEvent> toEvent(ConsumerRecord<String, String> record) {
        try {
            JsonNode envelope = json.readTree(record.value());
            String tenant = envelope.path("tenant_id").asText(header(record, EventHeaders.TENANT_ID));
            String user = envelope.path("payload").path("user_id").asText(null);
            String eventId = envelope.path("event_id").asText(header(record, EventHeaders.EVENT_ID));
            return Optional.of(new OrderStreamEvent(record.partition(), record.offset(),
                    eventId == null ? null : UUID.fromString(eventId), record.timestamp(),
                    UUID.fromString(tenant), user == null ? null : UUID.fromString(user),
                    envelope.path("event_type").asText(header(record, EventHeaders.EVENT_TYPE)), record.value()));
        } catch (Exception unreadable) {
            LOG.warnf("Skipping unreadable order event at %s-%d offset %d: %s", record.topic(), record.partition(),
                    record.offset(), unreadable.getMessage());
            return Optional.empty();
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "api-order-stream-" + UUID.randomUUID());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
