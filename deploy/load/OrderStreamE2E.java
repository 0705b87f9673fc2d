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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * End-to-end order stream benchmark (issue 4): orders created through api-service's POST /v1/orders at a
 * fixed rate while one staff SSE client of GET /v1/events/orders listens; worker-service relays the outbox
 * to Kafka and api-service streams the events back. Per order it measures
 * <ul>
 * <li>occurred_at -> SSE arrival: the outbox row's occurred_at is PostgreSQL's now(), the start of the order's
 * transaction, which precedes its commit; so this is an upper bound of commit -> SSE (it also contains the
 * rest of the order transaction) and the figure judged against the target;</li>
 * <li>POST response -> SSE arrival: the response leaves only after the commit, so this is a lower bound (it
 * can be negative when the event overtakes the HTTP response).</li>
 * </ul>
 * plus missing and duplicate events, POST latency, and the outbox backlog (unpublished rows of the tenant)
 * every second, straight from PostgreSQL and from worker-service's ragline_outbox_backlog gauge.
 * POSTs go out over at most --connections (16) keep-alive connections.
 * Run by deploy/load/order-stream-e2e.sh: {@code setup} creates the tenant, {@code run} measures.
 */
public class OrderStreamE2E {

    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern AGGREGATE_ID = Pattern.compile("\"aggregate_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern OCCURRED_AT = Pattern.compile("\"occurred_at\"\\s*:\\s*(\"[^\"]+\"|[0-9.]+)");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    /** One SSE frame of an order_created event as it arrived. */
    record Arrival(String eventId, long nanos, Instant wall, Instant occurredAt) {
    }

    /** One order as the client created it. */
    record Posted(long scheduledNanos, long responseNanos) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        PrivateKey key = LoadKit.privateKey(Path.of(options.get("private-key")));
        String api = options.getOrDefault("api", "http://127.0.0.1:18100");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        if (args.length > 0 && args[0].equals("token")) {
            System.out.println(LoadKit.token(key, UUID.fromString(options.get("tenant")), UUID.fromString(options.get("user")),
                    options.getOrDefault("role", "customer")));
        } else if (args.length > 0 && args[0].equals("cleanup")) {
            try (Connection db = DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("db-user", "ragline_worker"),
                    options.getOrDefault("db-password", "ragline"));
                    PreparedStatement delete = db.prepareStatement("DELETE FROM api.outbox WHERE tenant_id = ?")) {
                delete.setObject(1, UUID.fromString(options.get("tenant")));
                System.out.printf("removed the run's %d outbox rows%n", delete.executeUpdate());
            }
        } else if (args.length > 0 && args[0].equals("setup")) {
            setup(http, api, key, options.getOrDefault("slug", "e2e-" + System.currentTimeMillis()));
        } else {
            run(http, api, key, options);
        }
    }

    /** Creates a tenant with a staff and a customer user and one product; prints them as shell variables. */
    private static void setup(HttpClient http, String api, PrivateKey key, String slug) throws Exception {
        String platform = LoadKit.token(key, UUID.randomUUID(), UUID.randomUUID(), "platform_admin");
        String tenantJson = post(http, api + "/v1/tenants", platform, null, """
                {"slug":"%s","name":"End-to-end benchmark","admin_email":"admin@%s.test","admin_password":"ragline-e2e-bench"}"""
                .formatted(slug, slug));
        UUID tenant = UUID.fromString(firstId(tenantJson));
        Matcher adminId = Pattern.compile("\"admin\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(tenantJson);
        if (!adminId.find()) {
            throw new IllegalStateException("No admin id in " + tenantJson);
        }
        String admin = LoadKit.token(key, tenant, UUID.fromString(adminId.group(1)), "admin");
        String staff = firstId(post(http, api + "/v1/users", admin, null, """
                {"email":"staff@%s.test","password":"ragline-e2e-bench","roles":["staff"]}""".formatted(slug)));
        String customer = firstId(post(http, api + "/v1/users", admin, null, """
                {"email":"customer@%s.test","password":"ragline-e2e-bench","roles":["customer"]}""".formatted(slug)));
        String product = firstId(post(http, api + "/v1/products", admin, null, """
                {"sku":"E2E-PIZZA","name":"Benchmark pizza","price":12.50,"currency":"EUR","category":"pizza","tags":["vegetarian"]}"""));
        System.out.printf("tenant=%s%nstaff=%s%ncustomer=%s%nproduct=%s%n", tenant, staff, customer, product);
    }

    private static void run(HttpClient http, String api, PrivateKey key, Map<String, String> options) throws Exception {
        String worker = options.getOrDefault("worker", "http://127.0.0.1:18102");
        UUID tenant = UUID.fromString(options.get("tenant"));
        String product = options.get("product");
        int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int warmupSeconds = Integer.parseInt(options.getOrDefault("warmup", "5"));
        String staffToken = LoadKit.token(key, tenant, UUID.fromString(options.get("staff")), "staff");
        String customerToken = LoadKit.token(key, tenant, UUID.fromString(options.get("customer")), "customer");
        String order = "{\"items\":[{\"product_id\":\"" + product + "\",\"quantity\":2}]}";

        Map<String, Posted> posted = new ConcurrentHashMap<>();
        Map<String, Arrival> arrived = new ConcurrentHashMap<>();
        Set<String> seenEvents = ConcurrentHashMap.newKeySet();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong postErrors = new AtomicLong();
        Map<String, Boolean> warmupOrders = new ConcurrentHashMap<>();
        CountDownLatch firstDelivery = new CountDownLatch(1);

        // The listener gets its own client, so its connection never queues behind the POSTs.
        HttpClient sseHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Stream<String>> listener = sseHttp.send(HttpRequest.newBuilder(URI.create(api + "/v1/events/orders"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + staffToken).build(),
                HttpResponse.BodyHandlers.ofLines());
        if (listener.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/events/orders answered " + listener.statusCode());
        }
        CountDownLatch connected = new CountDownLatch(1);
        Thread.ofPlatform().name("sse-listener").daemon().start(() -> {
            try {
                listener.body().forEach(line -> {
                    long nanos = System.nanoTime();
                    Instant wall = Instant.now();
                    if (line.startsWith(":")) {
                        connected.countDown();
                    } else if (line.startsWith("data:") && line.contains("\"order_created\"")) {
                        Matcher event = EVENT_ID.matcher(line);
                        Matcher aggregate = AGGREGATE_ID.matcher(line);
                        Matcher occurred = OCCURRED_AT.matcher(line);
                        if (!event.find() || !aggregate.find() || !occurred.find()) {
                            return;
                        }
                        if (!seenEvents.add(event.group(1))) {
                            duplicates.incrementAndGet();
                            return;
                        }
                        if (warmupOrders.containsKey(aggregate.group(1))) {
                            firstDelivery.countDown();
                            return;
                        }
                        arrived.put(aggregate.group(1), new Arrival(event.group(1), nanos, wall, instant(occurred.group(1))));
                    }
                });
            } catch (RuntimeException closed) {
                // the benchmark is over
            }
        });
        if (!connected.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The SSE stream did not open with a comment within 10 s");
        }

        // Warm-up: one order at a time until the first event comes through (the relay creates the topic, and
        // api-service discovers it), then warmup seconds at the rate, none of it measured.
        for (int attempt = 0; attempt < 60 && firstDelivery.getCount() > 0; attempt++) {
            String id = firstId(post(http, api + "/v1/orders", customerToken, UUID.randomUUID().toString(), order));
            warmupOrders.put(id, true);
            firstDelivery.await(500, TimeUnit.MILLISECONDS);
        }
        if (firstDelivery.getCount() > 0) {
            throw new IllegalStateException("No order event reached the SSE client within 30 s");
        }
        System.out.printf("SSE listener connected and first event delivered; warming up %d s at %d orders/s%n",
                warmupSeconds, rate);
        // The JDK client opens a new connection for every request that finds none idle; capping the requests in
        // flight keeps it on a fixed set of keep-alive connections, like a frontend or a proxy would. Latency
        // counts from each order's scheduled send, so time spent waiting for a free connection is measured too.
        Semaphore inFlight = new Semaphore(Integer.parseInt(options.getOrDefault("connections", "16")));
        paced(rate, (long) rate * warmupSeconds, intended -> {
            inFlight.acquireUninterruptibly();
            http.sendAsync(orderRequest(api, customerToken, order), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        if (failure == null && response.statusCode() == 201) {
                            warmupOrders.put(firstId(response.body()), true);
                        }
                    });
        });
        Thread.sleep(2000);

        String backlogSql = "SELECT count(*) FROM api.outbox WHERE tenant_id = ? AND published_at IS NULL";
        List<String> timeline = Collections.synchronizedList(new ArrayList<>());
        AtomicLong sentSoFar = new AtomicLong();
        long total = (long) rate * seconds;
        long apiCpuBefore = cpuMillis(options.get("api-pid"));
        long workerCpuBefore = cpuMillis(options.get("worker-pid"));
        long start = System.nanoTime();
        try (Connection db = DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("db-user", "ragline_worker"),
                options.getOrDefault("db-password", "ragline"));
                PreparedStatement backlog = db.prepareStatement(backlogSql);
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor()) {
            backlog.setObject(1, tenant);
            sampler.scheduleAtFixedRate(() -> {
                try (ResultSet rows = backlog.executeQuery()) {
                    rows.next();
                    timeline.add("%5.1f s  sent %6d  backlog %4d rows (worker gauge %s)".formatted(
                            (System.nanoTime() - start) / 1e9, sentSoFar.get(), rows.getLong(1),
                            LoadKit.metric(http, worker, "ragline_outbox_backlog")));
                } catch (Exception e) {
                    timeline.add("backlog sample failed: " + e);
                }
            }, 0, 1, TimeUnit.SECONDS);

            paced(rate, total, scheduled -> {
                sentSoFar.incrementAndGet();
                inFlight.acquireUninterruptibly();
                http.sendAsync(orderRequest(api, customerToken, order), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> {
                            inFlight.release();
                            long now = System.nanoTime();
                            if (failure != null || response.statusCode() != 201) {
                                postErrors.incrementAndGet();
                                if (postErrors.get() <= 5) {
                                    System.out.println("POST failed: "
                                            + (failure != null ? failure : response.statusCode() + " " + response.body()));
                                }
                                return;
                            }
                            posted.put(firstId(response.body()), new Posted(scheduled, now));
                        });
            });
            long sendSeconds = System.nanoTime() - start;
            long apiCpu = cpuMillis(options.get("api-pid")) - apiCpuBefore;
            long workerCpu = cpuMillis(options.get("worker-pid")) - workerCpuBefore;
            // Let the last events arrive (and the backlog drain into the timeline).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline
                    && (posted.size() + postErrors.get() < total || !arrived.keySet().containsAll(posted.keySet()))) {
                Thread.sleep(100);
            }
            Thread.sleep(1500);
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            System.out.printf("created %d orders in %.1f s (%.0f/s, target %d/s), %d POST errors%n", posted.size(),
                    sendSeconds / 1e9, posted.size() / (sendSeconds / 1e9), rate, postErrors.get());
            // CPU per order is what contention cannot inflate much, so it compares runs on a shared box.
            System.out.printf("CPU while sending: api-service %.2f ms/order (%.0f%% of a core), worker-service %.2f ms/order"
                    + " (%.0f%% of a core)%n", apiCpu / (double) total, 100.0 * apiCpu / (sendSeconds / 1e6),
                    workerCpu / (double) total, 100.0 * workerCpu / (sendSeconds / 1e6));
        }

        List<Long> upper = new ArrayList<>();
        List<Long> lower = new ArrayList<>();
        List<Long> postLatency = new ArrayList<>();
        int missing = 0;
        for (Map.Entry<String, Posted> order0 : posted.entrySet()) {
            Posted p = order0.getValue();
            postLatency.add((p.responseNanos() - p.scheduledNanos()) / 1_000);
            Arrival a = arrived.get(order0.getKey());
            if (a == null) {
                missing++;
                continue;
            }
            upper.add(Duration.between(a.occurredAt(), a.wall()).toNanos() / 1_000);
            lower.add((a.nanos() - p.responseNanos()) / 1_000);
        }
        Collections.sort(upper);
        Collections.sort(lower);
        Collections.sort(postLatency);
        System.out.printf("SSE: delivered %d of %d orders, missing %d, duplicate events %d%n", upper.size(), posted.size(),
                missing, duplicates.get());
        System.out.println("commit -> SSE, from the order's occurred_at (tx start; upper bound): " + summary(upper));
        System.out.println("commit -> SSE, from the POST response (after commit; lower bound):   " + summary(lower));
        System.out.println("POST /v1/orders latency (from its scheduled send):                 " + summary(postLatency));
        System.out.printf("worker commit -> Kafka ack (ragline_outbox_lag_seconds buckets): p50 <= %s s, p95 <= %s s, p99 <= %s s%n",
                LoadKit.quantile(http, worker, "ragline_outbox_lag_seconds", 0.50),
                LoadKit.quantile(http, worker, "ragline_outbox_lag_seconds", 0.95),
                LoadKit.quantile(http, worker, "ragline_outbox_lag_seconds", 0.99));
        System.out.printf("api Kafka timestamp -> SSE frame queued (ragline_stream_lag_seconds buckets): p50 <= %s s, p95 <= %s s, p99 <= %s s%n",
                LoadKit.quantile(http, api, "ragline_stream_lag_seconds", 0.50), LoadKit.quantile(http, api, "ragline_stream_lag_seconds", 0.95),
                LoadKit.quantile(http, api, "ragline_stream_lag_seconds", 0.99));
        System.out.println("outbox backlog of the tenant (unpublished rows), sampled every second:");
        synchronized (timeline) {
            timeline.forEach(line -> System.out.println("  " + line));
        }
        listener.body().close();
        System.exit(missing == 0 && duplicates.get() == 0 && postErrors.get() == 0 ? 0 : 1);
    }

    /**
     * Calls task count times, the i-th at start + i / rate (open loop), with that intended time in nanoTime
     * terms: when the caller falls behind, the lateness counts against the request rather than vanishing.
     */
    private static void paced(int rate, long count, LongConsumer task) {
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long intended = start + i * period;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            task.accept(intended);
        }
    }

    /** User + system CPU time of a process so far (from /proc/PID/stat, in clock ticks of 10 ms). */
    private static long cpuMillis(String pid) {
        if (pid == null) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (Exception e) {
            return 0;
        }
    }

    private static HttpRequest orderRequest(String api, String token, String body) {
        return HttpRequest.newBuilder(URI.create(api + "/v1/orders")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String post(HttpClient http, String url, String token, String idempotencyKey, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String firstId(String json) {
        Matcher id = ID.matcher(json);
        if (!id.find()) {
            throw new IllegalStateException("No id in " + json);
        }
        return id.group(1);
    }

    private static Instant instant(String value) {
        if (value.startsWith("\"")) {
            return OffsetDateTime.parse(value.substring(1, value.length() - 1)).toInstant();
        }
        double seconds = Double.parseDouble(value);
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }

    private static String summary(List<Long> sortedMicros) {
        if (sortedMicros.isEmpty()) {
            return "no samples";
        }
        return "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)".formatted(LoadKit.percentile(sortedMicros, 50),
                LoadKit.percentile(sortedMicros, 95), LoadKit.percentile(sortedMicros, 99), sortedMicros.getLast() / 1000.0,
                sortedMicros.size());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }
}
