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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * every second, straight from PostgreSQL and from worker-service's ragline_outbox_backlog gauge, and the CPU per
 * order of every process (PostgreSQL's also by session role) with the database's commits per order.
 * --warmup seconds (60) at the rate run first, unmeasured, so the services' JIT has compiled the hot paths.
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
    record Posted(long scheduledNanos, long responseNanos, Instant responseWall) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LoadKit.options(args);
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
        int warmupSeconds = Integer.parseInt(options.getOrDefault("warmup", "60"));
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

        // Both the listener and the POSTs use RawHttp (blocking I/O on keep-alive sockets): the JDK's HttpClient cost
        // about 1 ms of CPU per order in futures and thread hand-offs, CPU the services under test lacked on a small
        // box, and it added a thread hand-off between a frame's arrival and its timestamp.
        URI base = URI.create(api);
        RawHttp.Stream listener = RawHttp.openStream(base, "/v1/events/orders",
                List.of("Accept: text/event-stream", "Authorization: Bearer " + staffToken));
        CountDownLatch connected = new CountDownLatch(1);
        Thread.ofPlatform().name("sse-listener").daemon().start(() -> {
            try {
                for (String line; (line = listener.readLine()) != null;) {
                    long nanos = System.nanoTime();
                    Instant wall = Instant.now();
                    if (line.startsWith(":")) {
                        connected.countDown();
                    } else if (line.startsWith("data:") && line.contains("\"order_created\"")) {
                        Matcher event = EVENT_ID.matcher(line);
                        Matcher aggregate = AGGREGATE_ID.matcher(line);
                        Matcher occurred = OCCURRED_AT.matcher(line);
                        if (!event.find() || !aggregate.find() || !occurred.find()) {
                            continue;
                        }
                        if (!seenEvents.add(event.group(1))) {
                            duplicates.incrementAndGet();
                            continue;
                        }
                        if (warmupOrders.containsKey(aggregate.group(1))) {
                            firstDelivery.countDown();
                            continue;
                        }
                        arrived.put(aggregate.group(1), new Arrival(event.group(1), nanos, wall, instant(occurred.group(1))));
                    }
                }
            } catch (Exception closed) {
                // the benchmark is over
            }
        });
        if (!connected.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The SSE stream did not open with a comment within 10 s");
        }

        // Orders go out over at most --connections keep-alive connections, like a frontend or a proxy would send
        // them; each waits in the queue for a free connection, and its latency counts from its scheduled send.
        byte[] orderBody = order.getBytes(StandardCharsets.UTF_8);
        OrderSender sender = new OrderSender(base, customerToken, orderBody,
                Integer.parseInt(options.getOrDefault("connections", "16")));

        // Warm-up: one order at a time until the first event comes through (the relay creates the topic, and
        // api-service discovers it), then warmup seconds at the rate, none of it measured.
        for (int attempt = 0; attempt < 60 && firstDelivery.getCount() > 0; attempt++) {
            RawHttp.Response response = sender.postNow();
            if (response.status() != 201) {
                throw new IllegalStateException("POST /v1/orders answered " + response.status() + ": " + response.body());
            }
            warmupOrders.put(firstId(response.body()), true);
            firstDelivery.await(500, TimeUnit.MILLISECONDS);
        }
        if (firstDelivery.getCount() > 0) {
            throw new IllegalStateException("No order event reached the SSE client within 30 s");
        }
        System.out.printf("SSE listener connected and first event delivered; warming up %d s at %d orders/s%n",
                warmupSeconds, rate);
        long warmupCount = (long) rate * warmupSeconds;
        AtomicLong warmupDone = new AtomicLong();
        sender.onResponse((scheduled, response) -> {
            warmupDone.incrementAndGet();
            if (response != null && response.status() == 201) {
                warmupOrders.put(firstId(response.body()), true);
            }
        });
        paced(rate, warmupCount, sender::enqueue);
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); warmupDone.get() < warmupCount
                && System.nanoTime() < deadline;) {
            Thread.sleep(50);
        }
        Thread.sleep(2000);

        String backlogSql = "SELECT count(*) FROM api.outbox WHERE tenant_id = ? AND published_at IS NULL";
        List<String> timeline = Collections.synchronizedList(new ArrayList<>());
        AtomicLong sentSoFar = new AtomicLong();
        long total = (long) rate * seconds;
        try (Connection db = DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("db-user", "ragline_worker"),
                options.getOrDefault("db-password", "ragline"));
                Connection statsDb = statsConnection(options);
                PreparedStatement backlog = db.prepareStatement(backlogSql);
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
                posted.put(firstId(response.body()), new Posted(scheduled, now, Instant.now()));
            });
            paced(rate, total, scheduled -> {
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
            while (System.nanoTime() < deadline
                    && (posted.size() + postErrors.get() < total || !arrived.keySet().containsAll(posted.keySet()))) {
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
        stages(options, tenant, posted, arrived);
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
        listener.close();
        sender.close();
        System.exit(missing == 0 && duplicates.get() == 0 && postErrors.get() == 0 ? 0 : 1);
    }

    /**
     * For the CPU split by PostgreSQL session: pg_stat_activity names other roles' sessions only to a superuser or a
     * member of pg_read_all_stats; the local stack trusts the superuser on loopback. Otherwise the split stays coarse.
     */
    private static Connection statsConnection(Map<String, String> options) throws java.sql.SQLException {
        try {
            return DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("stats-db-user", "postgres"),
                    options.getOrDefault("stats-db-password", ""));
        } catch (java.sql.SQLException e) {
            return DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("db-user", "ragline_worker"),
                    options.getOrDefault("db-password", "ragline"));
        }
    }

    /**
     * Where the lag goes, from the outbox rows of the run: published_at is PostgreSQL's now() in the relay's claim
     * transaction, i.e. when the relay started the claim that took the row (BEGIN goes out with the claim).
     */
    private static void stages(Map<String, String> options, UUID tenant, Map<String, Posted> posted,
            Map<String, Arrival> arrived) {
        List<Long> txToClaim = new ArrayList<>();
        List<Long> responseToClaim = new ArrayList<>();
        List<Long> claimToSse = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("db-user", "ragline_worker"),
                options.getOrDefault("db-password", "ragline"));
                PreparedStatement rows = db.prepareStatement("""
                        SELECT aggregate_id::text, occurred_at, published_at FROM api.outbox
                        WHERE tenant_id = ? AND event_type = 'order_created' AND published_at IS NOT NULL""")) {
            rows.setObject(1, tenant);
            try (ResultSet row = rows.executeQuery()) {
                while (row.next()) {
                    Posted p = posted.get(row.getString(1));
                    Arrival a = arrived.get(row.getString(1));
                    if (p == null || a == null) {
                        continue;
                    }
                    Instant occurred = row.getObject(2, OffsetDateTime.class).toInstant();
                    Instant claimed = row.getObject(3, OffsetDateTime.class).toInstant();
                    txToClaim.add(Duration.between(occurred, claimed).toNanos() / 1_000);
                    responseToClaim.add(Duration.between(p.responseWall(), claimed).toNanos() / 1_000);
                    claimToSse.add(Duration.between(claimed, a.wall()).toNanos() / 1_000);
                }
            }
        } catch (Exception e) {
            System.out.println("stages not measured: " + e);
            return;
        }
        Collections.sort(txToClaim);
        Collections.sort(responseToClaim);
        Collections.sort(claimToSse);
        System.out.println("stages (published_at = start of the relay's claim transaction):");
        System.out.println("  order tx start -> relay claim:  " + summary(txToClaim));
        System.out.println("  POST response -> relay claim:   " + summary(responseToClaim));
        System.out.println("  relay claim -> SSE arrival:     " + summary(claimToSse));
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

    /**
     * CPU used while sending, per order: each service's total and its thread pools (JIT compiler threads included,
     * which is what a short run spends on warming up), every PostgreSQL process of the box (other users of the
     * shared server count too), the Kafka broker and this client, i.e. everything the box spends per order.
     */
    static final class CpuShares {
        private final Map<String, Long> pids = new java.util.LinkedHashMap<>();
        private final Map<String, Map<String, Long>> threadsBefore = new HashMap<>();
        private final Map<String, Map<String, Long>> threadsAfter = new HashMap<>();
        private final long postgresBefore;
        private final long kafkaPid = LoadKit.pidOf("kafka.Kafka");
        private final long kafkaBefore;
        private final long clientBefore = ownCpuMillis();
        private long postgresAfter;
        private long kafkaAfter;
        private long clientAfter;

        private final Connection db;
        private final Map<Long, String> postgresRoles = new HashMap<>();
        private final Map<Long, Long> backendsBefore = new HashMap<>();
        private final Map<Long, Long> backendsAfter = new HashMap<>();
        private final long[] commitsBefore;
        private long[] commitsAfter;

        CpuShares(String apiPid, String workerPid, Connection db) {
            this.db = db;
            if (apiPid != null) {
                pids.put("api-service", Long.parseLong(apiPid));
            }
            if (workerPid != null) {
                pids.put("worker-service", Long.parseLong(workerPid));
            }
            pids.forEach((name, pid) -> threadsBefore.put(name, LoadKit.threadCpuMillis(pid)));
            commitsBefore = databaseCounters();
            postgresBefore = LoadKit.processesCpuMillis("postgres");
            backends(backendsBefore);
            kafkaBefore = processCpuMillis(kafkaPid);
        }

        void stop() {
            pids.forEach((name, pid) -> threadsAfter.put(name, LoadKit.threadCpuMillis(pid)));
            postgresAfter = LoadKit.processesCpuMillis("postgres");
            backends(backendsAfter);
            kafkaAfter = processCpuMillis(kafkaPid);
            clientAfter = ownCpuMillis();
        }

        /**
         * The database's commits and rollbacks since the start; read a while after {@link #stop} because PostgreSQL
         * publishes a backend's counters up to a second late (the few transactions of the drain count too).
         */
        void readDatabaseCounters() {
            commitsAfter = databaseCounters();
        }

        private long[] databaseCounters() {
            try (var statement = db.createStatement();
                    ResultSet row = statement.executeQuery("SELECT xact_commit, xact_rollback FROM pg_stat_database"
                            + " WHERE datname = current_database()")) {
                row.next();
                return new long[] { row.getLong(1), row.getLong(2) };
            } catch (Exception e) {
                return null;
            }
        }

        /**
         * CPU of each PostgreSQL process so far, and who it serves: the service under test whose socket is the
         * session's other end, else the session's role (another process of the box using the same database) or the
         * kind of background process, from pg_stat_activity, which shows other roles' sessions to a superuser only.
         */
        private void backends(Map<Long, Long> cpu) {
            Map<Integer, String> serviceOfPort = new HashMap<>();
            pids.forEach((name, pid) -> LoadKit.localTcpPorts(pid).forEach(port -> serviceOfPort.put(port, name)));
            try (var statement = db.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT pid, client_port, CASE WHEN backend_type = 'client backend'"
                            + " THEN 'other sessions of ' || coalesce(usename::text, 'unknown roles') ELSE backend_type END"
                            + " FROM pg_stat_activity")) {
                while (rows.next()) {
                    String service = serviceOfPort.get(rows.getInt(2));
                    String other = rows.getString(3);
                    postgresRoles.putIfAbsent(rows.getLong(1), service != null ? service : other == null ? "unknown" : other);
                    cpu.put(rows.getLong(1), processCpuMillis(rows.getLong(1)));
                }
            } catch (Exception e) {
                // no split then
            }
        }

        void print(long orders, long elapsedNanos) {
            double elapsedMillis = elapsedNanos / 1e6;
            StringBuilder line = new StringBuilder("CPU while sending, ms per order (% of a core):");
            pids.keySet().forEach(name -> {
                long used = used(name).values().stream().mapToLong(Long::longValue).sum();
                line.append(" %s %.2f (%.0f%%),".formatted(name, used / (double) orders, 100 * used / elapsedMillis));
            });
            long postgres = postgresAfter - postgresBefore;
            long kafka = kafkaAfter - kafkaBefore;
            long client = clientAfter - clientBefore;
            line.append(" postgres (all of the box's) %.2f (%.0f%%), kafka broker %.2f (%.0f%%), this client %.2f (%.0f%%)"
                    .formatted(postgres / (double) orders, 100 * postgres / elapsedMillis, kafka / (double) orders,
                            100 * kafka / elapsedMillis, client / (double) orders, 100 * client / elapsedMillis));
            System.out.println(line);
            Map<String, Long> byRole = new java.util.TreeMap<>();
            backendsAfter.forEach((pid, after) -> byRole.merge(postgresRoles.getOrDefault(pid, "?"),
                    after - backendsBefore.getOrDefault(pid, 0L), Long::sum));
            long attributed = byRole.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder roles = new StringBuilder("  postgres by session (the service it serves, else its role), ms per order:");
            byRole.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long> comparingByValue().reversed())
                    .forEach(e -> roles.append(" %s %.2f;".formatted(e.getKey(), e.getValue() / (double) orders)));
            // Processes that ended meanwhile (other users' sessions) drop out of the total, so the rest can be negative.
            if (postgres >= attributed) {
                roles.append(" other processes %.2f".formatted((postgres - attributed) / (double) orders));
            }
            System.out.println(roles);
            if (commitsBefore != null && commitsAfter != null) {
                System.out.printf("  postgres transactions of the database while sending and draining, per order: %.2f commits,"
                        + " %.3f rollbacks%n", (commitsAfter[0] - commitsBefore[0]) / (double) orders,
                        (commitsAfter[1] - commitsBefore[1]) / (double) orders);
            }
            pids.keySet().forEach(name -> {
                StringBuilder threads = new StringBuilder("  " + name + " threads, ms per order:");
                used(name).entrySet().stream().filter(e -> e.getValue() > 0)
                        .sorted(Map.Entry.<String, Long> comparingByValue().reversed()).limit(8)
                        .forEach(e -> threads.append(" %s %.2f;".formatted(e.getKey(), e.getValue() / (double) orders)));
                System.out.println(threads);
            });
        }

        /** Per thread name; a thread that ended in between is lost, one that started counts whole. */
        private Map<String, Long> used(String name) {
            Map<String, Long> used = new HashMap<>();
            threadsAfter.getOrDefault(name, Map.of()).forEach(
                    (thread, after) -> used.put(thread, after - threadsBefore.getOrDefault(name, Map.of()).getOrDefault(thread, 0L)));
            return used;
        }

        private static long processCpuMillis(long pid) {
            try {
                return pid < 0 ? 0 : LoadKit.statCpuMillis(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            } catch (Exception e) {
                return 0;
            }
        }

        private static long ownCpuMillis() {
            return processCpuMillis(ProcessHandle.current().pid());
        }
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

    /**
     * Sends the orders: one thread per connection takes the next scheduled order off the queue, POSTs it (a new
     * Idempotency-Key each) and reports the response (null when the request failed) with its scheduled time.
     */
    static final class OrderSender implements AutoCloseable {
        private static final long STOP = Long.MIN_VALUE;

        private final URI base;
        private final String token;
        private final byte[] body;
        private final java.util.concurrent.BlockingQueue<Long> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private final RawHttp first;
        private volatile java.util.function.BiConsumer<Long, RawHttp.Response> onResponse = (scheduled, response) -> {
        };

        OrderSender(URI base, String token, byte[] body, int connections) {
            this.base = base;
            this.token = token;
            this.body = body;
            this.first = new RawHttp(base);
            for (int i = 0; i < connections; i++) {
                RawHttp connection = i == 0 ? first : new RawHttp(base);
                threads.add(Thread.ofPlatform().name("order-sender-" + i).daemon().start(() -> send(connection)));
            }
        }

        void onResponse(java.util.function.BiConsumer<Long, RawHttp.Response> handler) {
            onResponse = handler;
        }

        void enqueue(long scheduledNanos) {
            queue.add(scheduledNanos);
        }

        /** One order now, on a connection of its own (before the senders are busy). */
        RawHttp.Response postNow() throws Exception {
            try (RawHttp connection = new RawHttp(base)) {
                return post(connection);
            }
        }

        private RawHttp.Response post(RawHttp connection) throws Exception {
            return connection.send("POST", "/v1/orders", List.of("Content-Type: application/json",
                    "Authorization: Bearer " + token, "Idempotency-Key: " + UUID.randomUUID()), body);
        }

        private void send(RawHttp connection) {
            try (connection) {
                while (true) {
                    long scheduled = queue.take();
                    if (scheduled == STOP) {
                        return;
                    }
                    RawHttp.Response response;
                    try {
                        response = post(connection);
                    } catch (Exception e) {
                        response = null;
                    }
                    onResponse.accept(scheduled, response);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            threads.forEach(thread -> queue.add(STOP));
        }
    }

    /**
     * The least HTTP/1.1 client that serves this benchmark: one keep-alive socket, blocking I/O, requests with a
     * body of known length, responses with Content-Length or chunked bodies. A request that fails on a connection
     * the server closed meanwhile is sent once more on a new one (the same Idempotency-Key makes that safe).
     */
    static final class RawHttp implements AutoCloseable {
        record Response(int status, String body) {
        }

        /** An open response body read line by line (an SSE stream). */
        static final class Stream implements AutoCloseable {
            private final java.net.Socket socket;
            private final java.io.BufferedReader reader;

            Stream(java.net.Socket socket, java.io.BufferedReader reader) {
                this.socket = socket;
                this.reader = reader;
            }

            String readLine() throws java.io.IOException {
                return reader.readLine();
            }

            @Override
            public void close() throws java.io.IOException {
                socket.close();
            }
        }

        private final String host;
        private final int port;
        private java.net.Socket socket;
        private java.io.InputStream in;
        private java.io.OutputStream out;

        RawHttp(URI base) {
            this.host = base.getHost();
            this.port = base.getPort() < 0 ? 80 : base.getPort();
        }

        Response send(String method, String path, List<String> headers, byte[] body) throws java.io.IOException {
            byte[] request = request(method, path, headers, body);
            for (int attempt = 0;; attempt++) {
                boolean reused = socket != null;
                try {
                    if (socket == null) {
                        socket = connect(host, port);
                        in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
                        out = socket.getOutputStream();
                    }
                    out.write(request);
                    out.flush();
                    Head head = readHead(in);
                    byte[] content = head.chunked() ? readChunked(in) : in.readNBytes(head.length());
                    if (head.close()) {
                        close();
                    }
                    return new Response(head.status(), new String(content, StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    close();
                    if (!reused || attempt > 0) {
                        throw e;
                    }
                }
            }
        }

        static Stream openStream(URI base, String path, List<String> headers) throws java.io.IOException {
            java.net.Socket socket = connect(base.getHost(), base.getPort() < 0 ? 80 : base.getPort());
            socket.getOutputStream().write(request("GET", path, headers, null));
            socket.getOutputStream().flush();
            java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            Head head = readHead(in);
            if (head.status() != 200) {
                socket.close();
                throw new IllegalStateException("GET " + path + " answered " + head.status());
            }
            java.io.InputStream body = head.chunked() ? new Chunked(in) : in;
            return new Stream(socket, new java.io.BufferedReader(new java.io.InputStreamReader(body, StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (java.io.IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }

        private static java.net.Socket connect(String host, int port) throws java.io.IOException {
            java.net.Socket socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(0);
            return socket;
        }

        private static byte[] request(String method, String path, List<String> headers, byte[] body) {
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
            headers.forEach(header -> head.append(header).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
            if (body == null) {
                return start;
            }
            byte[] all = java.util.Arrays.copyOf(start, start.length + body.length);
            System.arraycopy(body, 0, all, start.length, body.length);
            return all;
        }

        private record Head(int status, int length, boolean chunked, boolean close) {
        }

        private static Head readHead(java.io.InputStream in) throws java.io.IOException {
            String statusLine = readLine(in);
            if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
                throw new java.io.EOFException("No HTTP response: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            int length = 0;
            boolean chunked = false;
            boolean close = false;
            for (String line; (line = readLine(in)) != null && !line.isEmpty();) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.equalsIgnoreCase("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            return new Head(status, length, chunked, close);
        }

        private static String readLine(java.io.InputStream in) throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != '\n';) {
                if (b < 0) {
                    if (line.isEmpty()) {
                        return null;
                    }
                    throw new java.io.EOFException("Connection closed mid-line");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private static byte[] readChunked(java.io.InputStream in) throws java.io.IOException {
            return new Chunked(in).readAllBytes();
        }

        /** A chunked body as a plain stream; ends at the last (empty) chunk. */
        static final class Chunked extends java.io.InputStream {
            private final java.io.InputStream in;
            private int left;
            private boolean done;

            Chunked(java.io.InputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
                if (done) {
                    return -1;
                }
                if (left == 0) {
                    String size = readLine(in);
                    if (size == null) {
                        throw new java.io.EOFException("Connection closed in a chunked body");
                    }
                    if (size.isEmpty()) {
                        size = readLine(in); // the CRLF after the previous chunk's data
                    }
                    int semicolon = size.indexOf(';');
                    left = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (left == 0) {
                        for (String trailer; (trailer = readLine(in)) != null && !trailer.isEmpty();) {
                            // trailers are ignored
                        }
                        done = true;
                        return -1;
                    }
                }
                int read = in.read(buffer, offset, Math.min(length, left));
                if (read < 0) {
                    throw new java.io.EOFException("Connection closed in a chunk");
                }
                left -= read;
                return read;
            }

            @Override
            public int available() throws java.io.IOException {
                return done ? 0 : Math.min(left, in.available());
            }
        }
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
}
