import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fault drill's client side (issue 15, item 6), run by deploy/load/fault-drills.sh while it injects the fault:
 * customers place orders at --rate for --seconds, each with its own Idempotency-Key that the client retries (same key,
 * back-off) until it gets a 2xx or --give-up seconds passed; a staff client follows GET /v1/events/orders and
 * reconnects with Last-Event-ID whenever the stream drops. Afterwards it waits for the stream to catch up (--drain),
 * then checks PostgreSQL and prints one result row:
 * <ul>
 * <li>lost: a 2xx order that is not in api.orders, or whose order_created row is not in the outbox;</li>
 * <li>duplicated: orders of the tenant beyond one per Idempotency-Key the client sent;</li>
 * <li>stream gaps: a 2xx order whose order_created never reached the stream, plus resync frames (the server saying it
 * could not resume) and duplicate event ids;</li>
 * <li>client errors: failed attempts (status, refused connection, timeout) that the client then retried, and hangs:
 * attempts that ran into the client's own --timeout instead of an answer.</li>
 * </ul>
 * Exit status 1 when anything was lost, duplicated, missing from the stream, or hung.
 */
public class FaultDrills {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern AGGREGATE_ID = Pattern.compile("\"aggregate_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LoadKit.options(args);
        Drill drill = new Drill(options);
        boolean clean = drill.run();
        System.exit(clean ? 0 : 1);
    }

    static final class Drill {

        private final String fault;
        private final URI api;
        private final UUID tenant;
        private final String customerToken;
        private final String staffToken;
        private final String orderBody;
        private final int rate;
        private final int seconds;
        private final Duration timeout;
        private final long giveUpNanos;
        private final int drainSeconds;
        private final Map<String, String> options;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        private final Set<String> keysSent = ConcurrentHashMap.newKeySet();
        private final Map<String, String> acceptedByKey = new ConcurrentHashMap<>();
        private final Set<String> abandonedKeys = ConcurrentHashMap.newKeySet();
        private final AtomicLong failedAttempts = new AtomicLong();
        private final AtomicLong hangs = new AtomicLong();
        private final AtomicLong maxWaitMillis = new AtomicLong();
        private final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();

        private final Set<String> streamedOrders = ConcurrentHashMap.newKeySet();
        private final Set<String> streamedEvents = ConcurrentHashMap.newKeySet();
        private final AtomicLong duplicateEvents = new AtomicLong();
        private final AtomicLong resyncs = new AtomicLong();
        private final AtomicLong reconnects = new AtomicLong();
        private final AtomicReference<String> lastEventId = new AtomicReference<>();
        private volatile boolean streaming = true;

        Drill(Map<String, String> options) throws Exception {
            this.options = options;
            PrivateKey key = LoadKit.privateKey(Path.of(options.get("private-key")));
            fault = options.getOrDefault("fault", "none");
            api = URI.create(options.getOrDefault("api", "http://127.0.0.1:18200"));
            tenant = UUID.fromString(options.get("tenant"));
            customerToken = LoadKit.token(key, tenant, UUID.fromString(options.get("customer")), "customer");
            staffToken = LoadKit.token(key, tenant, UUID.fromString(options.get("staff")), "staff");
            orderBody = "{\"items\":[{\"product_id\":\"" + options.get("product") + "\",\"quantity\":1}]}";
            rate = Integer.parseInt(options.getOrDefault("rate", "20"));
            seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
            timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout", "10")));
            giveUpNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("give-up", "90")));
            drainSeconds = Integer.parseInt(options.getOrDefault("drain", "60"));
        }

        boolean run() throws Exception {
            Thread listener = Thread.ofPlatform().name("drill-sse").daemon(true).start(this::listen);
            Thread.sleep(1000);
            Path ready = options.containsKey("ready-file") ? Path.of(options.get("ready-file")) : null;
            if (ready != null) {
                Files.writeString(ready, "load\n");
            }
            long total = (long) rate * seconds;
            long start = System.nanoTime();
            try (ExecutorService customers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (long i = 0; i < total; i++) {
                    long due = start + i * TimeUnit.SECONDS.toNanos(1) / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    customers.submit(this::placeOrder);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
            while (System.nanoTime() < deadline && !streamedOrders.containsAll(acceptedByKey.values())) {
                Thread.sleep(200);
            }
            streaming = false;
            listener.interrupt();
            return report();
        }

        /** One customer's order: the same Idempotency-Key on every attempt until a 2xx, as a careful client does. */
        private void placeOrder() {
            String key = UUID.randomUUID().toString();
            keysSent.add(key);
            long first = System.nanoTime();
            long backoff = 200;
            while (System.nanoTime() - first < giveUpNanos) {
                HttpRequest request = HttpRequest.newBuilder(api.resolve("/v1/orders")).timeout(timeout)
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + customerToken)
                        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(orderBody)).build();
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    waited(sent);
                    if (response.statusCode() / 100 == 2) {
                        Matcher id = ID.matcher(response.body());
                        if (id.find()) {
                            acceptedByKey.put(key, id.group(1));
                        }
                        return;
                    }
                    failed("http " + response.statusCode() + problemType(response.body()));
                    if (response.statusCode() / 100 == 4 && response.statusCode() != 409 && response.statusCode() != 429) {
                        abandonedKeys.add(key);
                        return;
                    }
                } catch (HttpTimeoutException e) {
                    waited(sent);
                    hangs.incrementAndGet();
                    failed("timeout " + timeout.toSeconds() + " s");
                } catch (IOException e) {
                    waited(sent);
                    failed(e.getClass().getSimpleName());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 2000);
            }
            abandonedKeys.add(key);
        }

        /** The staff stream, resumed with Last-Event-ID after every drop, as a browser's EventSource does. */
        private void listen() {
            while (streaming) {
                HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve("/v1/events/orders"))
                        .header("Accept", "text/event-stream").header("Authorization", "Bearer " + staffToken);
                String resumeFrom = lastEventId.get();
                if (resumeFrom != null) {
                    request.header("Last-Event-ID", resumeFrom);
                }
                try {
                    HttpResponse<java.util.stream.Stream<String>> response = http.send(request.GET().build(),
                            HttpResponse.BodyHandlers.ofLines());
                    if (response.statusCode() == 200) {
                        String event = null;
                        for (var lines = response.body().iterator(); lines.hasNext() && streaming;) {
                            String line = lines.next();
                            if (line.startsWith("id:")) {
                                lastEventId.set(line.substring(3).strip());
                            } else if (line.startsWith("event:")) {
                                event = line.substring(6).strip();
                            } else if (line.startsWith("data:")) {
                                frame(event, line.substring(5));
                            } else if (line.isEmpty()) {
                                event = null;
                            }
                        }
                    } else {
                        response.body().close();
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // dropped (or the drill is over): reconnect below while it runs
                } catch (InterruptedException e) {
                    return;
                }
                if (streaming) {
                    reconnects.incrementAndGet();
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        private void frame(String event, String data) {
            if ("resync".equals(event)) {
                resyncs.incrementAndGet();
                return;
            }
            if (!"order_created".equals(event)) {
                return;
            }
            Matcher eventId = EVENT_ID.matcher(data);
            Matcher aggregate = AGGREGATE_ID.matcher(data);
            if (eventId.find() && aggregate.find()) {
                if (!streamedEvents.add(eventId.group(1))) {
                    duplicateEvents.incrementAndGet();
                }
                streamedOrders.add(aggregate.group(1));
            }
        }

        private boolean report() throws Exception {
            Set<String> accepted = new HashSet<>(acceptedByKey.values());
            Set<String> inDatabase = new HashSet<>();
            Set<String> inOutbox = new HashSet<>();
            try (Connection db = DriverManager.getConnection(options.get("jdbc"), "postgres", "");
                    PreparedStatement orders = db.prepareStatement("SELECT id FROM api.orders WHERE tenant_id = ?");
                    PreparedStatement outbox = db.prepareStatement(
                            "SELECT aggregate_id FROM api.outbox WHERE tenant_id = ? AND event_type = 'order_created'")) {
                orders.setObject(1, tenant);
                try (ResultSet rows = orders.executeQuery()) {
                    while (rows.next()) {
                        inDatabase.add(rows.getString(1));
                    }
                }
                outbox.setObject(1, tenant);
                try (ResultSet rows = outbox.executeQuery()) {
                    while (rows.next()) {
                        inOutbox.add(rows.getString(1));
                    }
                }
            }
            long lost = accepted.stream().filter(id -> !inDatabase.contains(id) || !inOutbox.contains(id)).count();
            // Each key sent may make one order; any order beyond that count is a key that created two.
            long duplicated = Math.max(0, inDatabase.size() - keysSent.size());
            long missingOnStream = accepted.stream().filter(id -> !streamedOrders.contains(id)).count();
            long gaps = missingOnStream + resyncs.get() + duplicateEvents.get();
            boolean clean = lost == 0 && duplicated == 0 && gaps == 0 && hangs.get() == 0 && abandonedKeys.isEmpty();
            List<String> kinds = new ArrayList<>();
            errorKinds.forEach((kind, count) -> kinds.add(kind + " x" + count.get()));
            System.out.printf("| %s | %d | %d | %d | %d | %d (%s) | %.1f s |%n", fault, accepted.size(), lost, duplicated,
                    gaps, failedAttempts.get(), kinds.isEmpty() ? "none" : String.join(", ", kinds),
                    maxWaitMillis.get() / 1000.0);
            System.out.printf("  detail: %d keys sent, %d accepted, %d abandoned, %d orders in the database, %d not in"
                    + " the outbox, %d not on the stream, %d resync frames, %d duplicate event ids, %d stream reconnects,"
                    + " %d hangs (attempts that hit the %d s client timeout)%s%n",
                    keysSent.size(), accepted.size(), abandonedKeys.size(), inDatabase.size(),
                    accepted.stream().filter(id -> !inOutbox.contains(id)).count(), missingOnStream, resyncs.get(),
                    duplicateEvents.get(), reconnects.get(), hangs.get(), timeout.toSeconds(), clean ? "" : "  FAILED");
            return clean;
        }

        private void waited(long sentNanos) {
            maxWaitMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNanos), Math::max);
        }

        private void failed(String kind) {
            failedAttempts.incrementAndGet();
            errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }

        private static String problemType(String body) {
            Matcher type = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"").matcher(body == null ? "" : body);
            return type.find() ? " " + type.group(1) : "";
        }
    }
}
