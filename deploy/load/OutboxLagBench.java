import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Writes order events into api.outbox at a fixed rate (one commit each, as api-service does) while a
 * running worker relays them, and measures for every event the lag from its commit to (a) the
 * record's producer timestamp on Kafka and (b) its arrival at a consumer; samples the outbox backlog
 * every second. Run by worker-outbox-lag.sh, which starts the worker.
 *
 * args: JDBC_URL TENANT TOPIC RATE SECONDS
 */
public class OutboxLagBench {

    /** Warm-up events carry ids with this prefix, so the reader leaves them out. */
    static final String WARM_UP_PREFIX = "00000000-0000-0000-";

    record Commit(long nanos, long epochMillis) {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        UUID tenant = UUID.fromString(args[1]);
        String topic = args[2];
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int total = rate * seconds;

        Map<String, Commit> commits = new ConcurrentHashMap<>();
        List<Double> publishLagMs = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Double> receiveLagMs = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger duplicates = new AtomicInteger();
        Map<String, Boolean> received = new ConcurrentHashMap<>();
        Map<String, Commit> early = new ConcurrentHashMap<>();

        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        while (partitions.isEmpty()) {
            consumer.partitionsFor(topic, Duration.ofSeconds(10)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);

        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            while (received.size() + early.size() < total && !Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    Header id = record.headers().lastHeader("event_id");
                    if (id == null) {
                        continue;
                    }
                    String eventId = new String(id.value(), StandardCharsets.UTF_8);
                    if (eventId.startsWith(WARM_UP_PREFIX)) {
                        continue;
                    }
                    Commit commit = commits.get(eventId);
                    if (commit == null) {
                        // Relayed before the writer noted its commit time: lag ~0, resolved after the run.
                        early.put(eventId, new Commit(now, record.timestamp()));
                        continue;
                    }
                    if (received.putIfAbsent(eventId, true) != null) {
                        duplicates.incrementAndGet();
                        continue;
                    }
                    receiveLagMs.add((now - commit.nanos()) / 1e6);
                    publishLagMs.add((double) (record.timestamp() - commit.epochMillis()));
                }
            }
        });

        List<String> backlog = java.util.Collections.synchronizedList(new ArrayList<>());
        String[] statuses = { "pending", "confirmed", "preparing" };
        String[] types = { "order_created", "order_updated", "order_updated" };
        int block = 30;
        int writers = 4;
        long interval = 1_000_000_000L / rate;
        int warmUp = rate * 5;
        // Warm-up first (JIT, producer metadata), unmeasured; then the measured events.
        write(url, tenant, warmUp, interval, block, writers, statuses, types, null, System.nanoTime());
        Thread.sleep(2000);
        long start = System.nanoTime();
        startSampler(url, tenant, backlog, start);
        write(url, tenant, total, interval, block, writers, statuses, types, commits, start);
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        reader.join(Duration.ofSeconds(60));
        Thread.sleep(1000);
        early.forEach((eventId, arrival) -> {
            Commit commit = commits.get(eventId);
            if (commit != null && received.putIfAbsent(eventId, true) == null) {
                receiveLagMs.add(Math.max(0, (arrival.nanos() - commit.nanos()) / 1e6));
                publishLagMs.add((double) Math.max(0, arrival.epochMillis() - commit.epochMillis()));
            }
        });

        System.out.printf("events written: %d in %.1f s (%.0f/s), relayed: %d, missing: %d, duplicates: %d%n", total,
                writeSeconds, total / writeSeconds, received.size(), total - received.size(), duplicates.get());
        report("commit -> Kafka publish (record timestamp)", publishLagMs);
        report("commit -> consumer receive", receiveLagMs);
        System.out.println("outbox backlog (unpublished rows of the bench tenant) over time:");
        synchronized (backlog) {
            backlog.forEach(line -> System.out.println("  " + line));
        }
        System.exit(received.size() == total ? 0 : 1);
    }

    private static void startSampler(String url, UUID tenant, List<String> backlog, long start) {
        Thread.ofPlatform().daemon().start(() -> {
            try (Connection c = DriverManager.getConnection(url, "ragline_api_owner", "ragline");
                    PreparedStatement q = c.prepareStatement(
                            "SELECT count(*) FROM api.outbox WHERE tenant_id = ? AND published_at IS NULL")) {
                q.setObject(1, tenant);
                while (true) {
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        backlog.add(String.format("%5.1fs %d", (System.nanoTime() - start) / 1e9, r.getLong(1)));
                    }
                    Thread.sleep(1000);
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
    }

    /** Writes {@code count} events at the given pace from several connections; an order's versions stay on one. */
    private static void write(String url, UUID tenant, int count, long interval, int block, int writers, String[] statuses,
            String[] types, Map<String, Commit> commits, long start) throws Exception {
        UUID[][] orderIds = new UUID[(count + block * 3 - 1) / (block * 3)][block];
        for (UUID[] row : orderIds) {
            for (int j = 0; j < block; j++) {
                row[j] = UUID.randomUUID();
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try (Connection c = DriverManager.getConnection(url, "ragline_api_owner", "ragline");
                        PreparedStatement insert = c.prepareStatement("""
                                INSERT INTO api.outbox (event_id, event_type, version, tenant_id, aggregate_type, aggregate_id,
                                                        aggregate_version, payload)
                                VALUES (?, ?, 1, ?, 'order', ?, ?, ?::jsonb)
                                """)) {
                    for (int i = 0; i < count; i++) {
                        // Blocks of 30 orders, each taken through three versions, interleaved.
                        int inBlock = i % (block * 3);
                        int step = inBlock / block;
                        int slot = inBlock % block;
                        if (slot % writers != writer) {
                            continue;
                        }
                        UUID order = orderIds[i / (block * 3)][slot];
                        long wait = start + i * interval - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        UUID eventId = commits == null
                                ? new UUID(0L, UUID.randomUUID().getLeastSignificantBits())
                                : UUID.randomUUID();
                        String now = Instant.now().toString();
                        insert.setObject(1, eventId);
                        insert.setString(2, types[step]);
                        insert.setObject(3, tenant);
                        insert.setObject(4, order);
                        insert.setLong(5, step + 1);
                        insert.setString(6, """
                                {"order_id":"%s","user_id":"%s","status":"%s","items":[{"product_id":"%s","name":"Margherita",
                                 "quantity":1,"unit_price":9.50,"line_total":9.50}],"promo_code":null,"subtotal":9.50,
                                 "discount":0.00,"total":9.50,"currency":"EUR","created_at":"%s","updated_at":"%s"}
                                """.formatted(order, tenant, statuses[step], tenant, now, now));
                        insert.executeUpdate();
                        if (commits != null) {
                            commits.put(eventId.toString(), new Commit(System.nanoTime(), System.currentTimeMillis()));
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void report(String what, List<Double> samples) {
        double[] sorted;
        synchronized (samples) {
            sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
        if (sorted.length == 0) {
            System.out.println(what + ": no samples");
            return;
        }
        System.out.printf("%s ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (n=%d)%n", what, pct(sorted, 50), pct(sorted, 95),
                pct(sorted, 99), sorted[sorted.length - 1], sorted.length);
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
