package dev.ragline.worker.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its current end onwards, as an independent consumer would: open it before the
 * action under test, then wait for the records the action should produce.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    public TopicReader(String topic) {
        this("127.0.0.1:9092", topic);
    }

    public TopicReader(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, false);
    }

    /** {@code fromBeginning} reads what the topic already holds too (a topic of the test's own). */
    public TopicReader(String bootstrapServers, String topic, boolean fromBeginning) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "worker-test-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            partitions.clear();
            consumer.partitionsFor(topic, Duration.ofSeconds(5))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            return !partitions.isEmpty();
        });
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position);
    }

    /** Polls until {@code count} records matching {@code wanted} arrived; answers them in arrival order. */
    public List<ConsumerRecord<String, String>> awaitRecords(Predicate<ConsumerRecord<String, String>> wanted, int count,
            Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.stream().filter(wanted).count() >= count;
        });
        return records.stream().filter(wanted).toList();
    }

    /**
     * Polls until a record of every id in {@code expectedIds} arrived, {@code idOf} naming a record's id; answers
     * every matching record in arrival order, copies included. Counting records is not enough where delivery is at
     * least once: a copy would stand in for a record still to come.
     */
    public List<ConsumerRecord<String, String>> awaitEach(Predicate<ConsumerRecord<String, String>> wanted,
            Function<ConsumerRecord<String, String>, String> idOf, Collection<String> expectedIds, Duration timeout) {
        Set<String> missing = new HashSet<>(expectedIds);
        await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            records.stream().filter(wanted).map(idOf).forEach(missing::remove);
            return missing.isEmpty();
        });
        return records.stream().filter(wanted).toList();
    }

    /** Polls for {@code quietPeriod} more and answers every matching record seen so far. */
    public List<ConsumerRecord<String, String>> drain(Predicate<ConsumerRecord<String, String>> wanted, Duration quietPeriod) {
        long end = System.nanoTime() + quietPeriod.toNanos();
        while (System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records.stream().filter(wanted).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
