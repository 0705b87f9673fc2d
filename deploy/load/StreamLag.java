import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stream-lag benchmark for api-service's live order streams: publishes order events to Kafka at a
 * fixed rate, the way worker-service's relay does, while one staff SSE client of the tenant (plus
 * optional idle clients of other tenants) listens, and reports publish -> SSE delivery lag.
 * Run by deploy/load/stream-lag.sh, which sets the classpath (kafka-clients) and starts api-service.
 */
public class StreamLag {

    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LoadKit.options(args);
        String api = options.getOrDefault("api", "http://127.0.0.1:8090");
        String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
        String topic = options.getOrDefault("topic", "ragline.load.orders");
        int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int idleClients = Integer.parseInt(options.getOrDefault("idle-clients", "0"));
        PrivateKey key = LoadKit.privateKey(Path.of(options.getOrDefault("private-key", ".ragline/keys/jwt-private.pem")));

        UUID tenant = UUID.randomUUID();
        UUID customer = UUID.randomUUID();
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> lagMicros = Collections.synchronizedList(new ArrayList<>());
        AtomicLong duplicates = new AtomicLong();
        Map<String, Boolean> warmup = new ConcurrentHashMap<>();
        CountDownLatch warmedUp = new CountDownLatch(1);

        List<HttpResponse<Stream<String>>> idle = new ArrayList<>();
        for (int i = 0; i < idleClients; i++) {
            idle.add(open(http, api, LoadKit.token(key, UUID.randomUUID(), UUID.randomUUID(), "customer")));
        }
        HttpResponse<Stream<String>> listener = open(http, api, LoadKit.token(key, tenant, UUID.randomUUID(), "staff"));
        CountDownLatch connected = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                listener.body().forEach(line -> {
                    long now = System.nanoTime();
                    if (line.startsWith(":")) {
                        connected.countDown();
                    } else if (line.startsWith("data:")) {
                        Matcher id = EVENT_ID.matcher(line);
                        if (!id.find()) {
                            return;
                        }
                        if (warmup.remove(id.group(1)) != null) {
                            warmedUp.countDown();
                            return;
                        }
                        Long sent = sentAt.remove(id.group(1));
                        if (sent == null) {
                            duplicates.incrementAndGet();
                        } else {
                            lagMicros.add((now - sent) / 1_000);
                        }
                    }
                });
            } catch (RuntimeException closed) {
                // the benchmark is over
            }
        });
        if (!connected.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The SSE stream did not open with a comment within 10 s");
        }
        System.out.printf("SSE listener connected (+%d idle clients); api threads now %s%n", idleClients,
                LoadKit.metric(http, api, "jvm_threads_live_threads"));

        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        long total = (long) rate * seconds;
        AtomicLong produced = new AtomicLong();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig);
                var scheduler = Executors.newSingleThreadScheduledExecutor()) {
            // The service may still be discovering a topic that did not exist: measure only once it delivers.
            for (int attempt = 0; attempt < 150 && warmedUp.getCount() > 0; attempt++) {
                String order = UUID.randomUUID().toString();
                String eventId = UUID.randomUUID().toString();
                warmup.put(eventId, true);
                producer.send(new ProducerRecord<>(topic, order, envelope(eventId, tenant, customer, order))).get();
                warmedUp.await(200, TimeUnit.MILLISECONDS);
            }
            if (warmedUp.getCount() > 0) {
                throw new IllegalStateException("No warm-up event reached the SSE client within 30 s");
            }
            Thread.sleep(1000);
            CountDownLatch done = new CountDownLatch(1);
            scheduler.scheduleAtFixedRate(() -> {
                if (produced.get() >= total) {
                    done.countDown();
                    return;
                }
                String order = UUID.randomUUID().toString();
                String eventId = UUID.randomUUID().toString();
                sentAt.put(eventId, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, order, envelope(eventId, tenant, customer, order)));
                produced.incrementAndGet();
            }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
            done.await();
            producer.flush();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        List<Long> sorted;
        synchronized (lagMicros) {
            sorted = new ArrayList<>(lagMicros);
        }
        Collections.sort(sorted);
        System.out.printf("published %d order events at %d/s for %d s; delivered %d, missing %d, duplicates %d%n",
                produced.get(), rate, seconds, sorted.size(), sentAt.size(), duplicates.get());
        System.out.printf("publish -> SSE delivery lag: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                LoadKit.percentile(sorted, 50), LoadKit.percentile(sorted, 95), LoadKit.percentile(sorted, 99),
                sorted.isEmpty() ? Double.NaN : sorted.getLast() / 1000.0);
        System.out.printf("api-service: ragline_stream_lag_seconds_count %s, ragline_stream_clients %s, live threads %s%n",
                LoadKit.metric(http, api, "ragline_stream_lag_seconds_count"), LoadKit.metric(http, api, "ragline_stream_clients"),
                LoadKit.metric(http, api, "jvm_threads_live_threads"));
        System.out.printf("api-service side (publish timestamp -> frame queued, from the histogram buckets): "
                + "p50 <= %s s, p95 <= %s s, p99 <= %s s%n", LoadKit.quantile(http, api, "ragline_stream_lag_seconds", 0.50), LoadKit.quantile(http, api, "ragline_stream_lag_seconds", 0.95),
                LoadKit.quantile(http, api, "ragline_stream_lag_seconds", 0.99));
        listener.body().close();
        idle.forEach(response -> response.body().close());
        System.exit(sentAt.isEmpty() && duplicates.get() == 0 ? 0 : 1);
    }

    private static HttpResponse<Stream<String>> open(HttpClient http, String api, String token) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/events/orders"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/events/orders answered " + response.statusCode());
        }
        return response;
    }

    private static String envelope(String eventId, UUID tenant, UUID customer, String order) {
        String now = Instant.now().toString();
        return """
                {"event_id":"%s","event_type":"order_created","version":1,"tenant_id":"%s","aggregate_id":"%s",\
                "aggregate_version":1,"occurred_at":"%s","traceparent":null,"payload":{"order_id":"%s","user_id":"%s",\
                "status":"pending","items":[{"product_id":"%s","sku":"PIZ-MARG","name":"Pizza Margherita","quantity":2,\
                "unit_price":9.50,"line_total":19.00}],"promo_code":null,"subtotal":19.00,"discount":0.00,"total":19.00,\
                "currency":"EUR","created_at":"%s","updated_at":"%s"}}"""
                .formatted(eventId, tenant, order, now, order, customer, UUID.randomUUID(), now, now);
    }
}
