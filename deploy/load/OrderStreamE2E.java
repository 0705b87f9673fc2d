import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end order stream benchmark (issue 4): orders created through api-service's POST /v1/orders at a
 * fixed rate while one staff SSE client of GET /v1/events/orders listens; worker-service relays the outbox
 * to Kafka and api-service streams the events back. This file is the run's sequence; its parts:
 * <ul>
 * <li>{@link OrderSender}: the traffic, open loop at --rate over at most --connections (16) keep-alive
 * connections, on {@link RawHttp};</li>
 * <li>{@link OrderStreamObserver}: the SSE client that stamps each event's arrival;</li>
 * <li>{@link StreamReport}: commit -> SSE (upper and lower bound), missing and duplicate events, POST latency,
 * the stages from the run's outbox rows; {@link CpuShares}: CPU per order of every process.</li>
 * </ul>
 * plus the outbox backlog (unpublished rows of the tenant) every second, straight from PostgreSQL and from
 * worker-service's ragline_outbox_backlog gauge. --warmup seconds (60) at the rate run first, unmeasured, so the
 * services' JIT has compiled the hot paths.
 * Run by deploy/load/order-stream-e2e.sh: {@code setup} creates the tenant, {@code run} measures, {@code cleanup}
 * drops the run's outbox rows; {@code token} prints a JWT (deploy/load/api-load.sh).
 */
public class OrderStreamE2E {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LoadKit.options(args);
        PrivateKey key = LoadKit.privateKey(Path.of(options.get("private-key")));
        String api = options.getOrDefault("api", "http://127.0.0.1:18100");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String command = args.length > 0 ? args[0] : "run";
        switch (command) {
            case "token" -> System.out.println(LoadKit.token(key, UUID.fromString(options.get("tenant")),
                    UUID.fromString(options.get("user")), options.getOrDefault("role", "customer")));
            case "cleanup" -> cleanup(options);
            case "setup" -> setup(http, api, key, options.getOrDefault("slug", "e2e-" + System.currentTimeMillis()));
            default -> System.exit(run(http, api, key, options) ? 0 : 1);
        }
    }

    /** Creates a tenant with a staff and a customer user and one product; prints them as shell variables. */
    private static void setup(HttpClient http, String api, PrivateKey key, String slug) throws Exception {
        String platform = LoadKit.token(key, UUID.randomUUID(), UUID.randomUUID(), "platform_admin");
        String tenantJson = post(http, api + "/v1/tenants", platform, """
                {"slug":"%s","name":"End-to-end benchmark","admin_email":"admin@%s.test","admin_password":"ragline-e2e-bench"}"""
                .formatted(slug, slug));
        UUID tenant = UUID.fromString(firstId(tenantJson));
        Matcher adminId = Pattern.compile("\"admin\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(tenantJson);
        if (!adminId.find()) {
            throw new IllegalStateException("No admin id in " + tenantJson);
        }
        String admin = LoadKit.token(key, tenant, UUID.fromString(adminId.group(1)), "admin");
        String staff = firstId(post(http, api + "/v1/users", admin, """
                {"email":"staff@%s.test","password":"ragline-e2e-bench","roles":["staff"]}""".formatted(slug)));
        String customer = firstId(post(http, api + "/v1/users", admin, """
                {"email":"customer@%s.test","password":"ragline-e2e-bench","roles":["customer"]}""".formatted(slug)));
        String product = firstId(post(http, api + "/v1/products", admin, """
                {"sku":"E2E-PIZZA","name":"Benchmark pizza","price":12.50,"currency":"EUR","category":"pizza","tags":["vegetarian"]}"""));
        System.out.printf("tenant=%s%nstaff=%s%ncustomer=%s%nproduct=%s%n", tenant, staff, customer, product);
    }

    /** Warms up, measures, reports; true when every order's event arrived once and no POST failed. */
    private static boolean run(HttpClient http, String api, PrivateKey key, Map<String, String> options) throws Exception {
        String worker = options.getOrDefault("worker", "http://127.0.0.1:18102");
        UUID tenant = UUID.fromString(options.get("tenant"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "200"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int warmupSeconds = Integer.parseInt(options.getOrDefault("warmup", "60"));
        String staffToken = LoadKit.token(key, tenant, UUID.fromString(options.get("staff")), "staff");
        String customerToken = LoadKit.token(key, tenant, UUID.fromString(options.get("customer")), "customer");
        byte[] order = ("{\"items\":[{\"product_id\":\"" + options.get("product") + "\",\"quantity\":2}]}")
                .getBytes(StandardCharsets.UTF_8);

        // Both the listener and the POSTs use RawHttp (blocking I/O on keep-alive sockets): the JDK's HttpClient cost
        // about 1 ms of CPU per order in futures and thread hand-offs, CPU the services under test lacked on a small
        // box, and it added a thread hand-off between a frame's arrival and its timestamp.
        URI base = URI.create(api);
        OrderStreamObserver stream = new OrderStreamObserver(base, staffToken);
        OrderSender sender = new OrderSender(base, customerToken, order,
                Integer.parseInt(options.getOrDefault("connections", "16")));
        warmUp(stream, sender, rate, warmupSeconds);

        Map<String, StreamReport.Posted> posted = new ConcurrentHashMap<>();
        AtomicLong postErrors = new AtomicLong();
        List<String> timeline = Collections.synchronizedList(new ArrayList<>());
        AtomicLong sentSoFar = new AtomicLong();
        long total = (long) rate * seconds;
        try (Connection db = DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("db-user", "ragline_worker"),
                options.getOrDefault("db-password", "ragline"));
                Connection statsDb = CpuShares.statsConnection(options);
                PreparedStatement backlog = db.prepareStatement(
                        "SELECT count(*) FROM api.outbox WHERE tenant_id = ? AND published_at IS NULL");
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor()) {
            CpuShares cpu = new CpuShares(options.get("api-pid"), options.get("worker-pid"), statsDb);
            long start = System.nanoTime();
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

            sender.onResponse((scheduled, response) -> {
                long now = System.nanoTime();
                if (response == null || response.status() != 201) {
                    if (postErrors.incrementAndGet() <= 5) {
                        System.out.println("POST failed: "
                                + (response == null ? "no response" : response.status() + " " + response.body()));
                    }
                    return;
                }
                posted.put(firstId(response.body()), new StreamReport.Posted(scheduled, now, Instant.now()));
            });
            OrderSender.paced(rate, total, scheduled -> {
                sentSoFar.incrementAndGet();
                sender.enqueue(scheduled);
            });
            // The sending ends with the last response: a server that falls behind stretches it.
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    posted.size() + postErrors.get() < total && System.nanoTime() < deadline;) {
                Thread.sleep(5);
            }
            long sendSeconds = System.nanoTime() - start;
            cpu.stop();
            // Let the last events arrive (and the backlog drain into the timeline).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && (posted.size() + postErrors.get() < total
                    || !stream.arrived().keySet().containsAll(posted.keySet()))) {
                Thread.sleep(100);
            }
            Thread.sleep(1500);
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            cpu.readDatabaseCounters();
            System.out.printf("created %d orders in %.1f s (%.0f/s, target %d/s), %d POST errors%n", posted.size(),
                    sendSeconds / 1e9, posted.size() / (sendSeconds / 1e9), rate, postErrors.get());
            // CPU per order is what contention cannot inflate much, so it compares runs on a shared box.
            cpu.print(total, sendSeconds);
        }

        int missing = StreamReport.latencies(posted, stream.arrived(), stream.duplicates());
        StreamReport.stages(options, tenant, posted, stream.arrived());
        StreamReport.serviceHistograms(http, api, worker);
        System.out.println("outbox backlog of the tenant (unpublished rows), sampled every second:");
        synchronized (timeline) {
            timeline.forEach(line -> System.out.println("  " + line));
        }
        stream.close();
        sender.close();
        return missing == 0 && stream.duplicates() == 0 && postErrors.get() == 0;
    }

    /**
     * One order at a time until the first event comes through (the relay creates the topic, and api-service
     * discovers it), then warmupSeconds at the rate, none of it measured.
     */
    private static void warmUp(OrderStreamObserver stream, OrderSender sender, int rate, int warmupSeconds)
            throws Exception {
        boolean delivered = false;
        for (int attempt = 0; attempt < 60 && !delivered; attempt++) {
            RawHttp.Response response = sender.postNow();
            if (response.status() != 201) {
                throw new IllegalStateException("POST /v1/orders answered " + response.status() + ": " + response.body());
            }
            stream.warmupOrder(firstId(response.body()));
            delivered = stream.awaitWarmupDelivery(500);
        }
        if (!delivered) {
            throw new IllegalStateException("No order event reached the SSE client within 30 s");
        }
        System.out.printf("SSE listener connected and first event delivered; warming up %d s at %d orders/s%n",
                warmupSeconds, rate);
        long warmupCount = (long) rate * warmupSeconds;
        AtomicLong warmupDone = new AtomicLong();
        sender.onResponse((scheduled, response) -> {
            warmupDone.incrementAndGet();
            if (response != null && response.status() == 201) {
                stream.warmupOrder(firstId(response.body()));
            }
        });
        OrderSender.paced(rate, warmupCount, sender::enqueue);
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); warmupDone.get() < warmupCount
                && System.nanoTime() < deadline;) {
            Thread.sleep(50);
        }
        Thread.sleep(2000);
    }

    /** Drops the run's outbox rows (published or not), so they never weigh on other relays' claims. */
    private static void cleanup(Map<String, String> options) throws Exception {
        try (Connection db = DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("db-user", "ragline_worker"),
                options.getOrDefault("db-password", "ragline"));
                PreparedStatement delete = db.prepareStatement("DELETE FROM api.outbox WHERE tenant_id = ?")) {
            delete.setObject(1, UUID.fromString(options.get("tenant")));
            System.out.printf("removed the run's %d outbox rows%n", delete.executeUpdate());
        }
    }

    private static String post(HttpClient http, String url, String token, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
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
}
