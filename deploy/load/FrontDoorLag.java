import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cost of the front door on the order stream: one staff SSE client straight to api-service and one
 * through nginx, open side by side on the same tenant, while orders are placed (POST /v1/orders, through
 * the front door) at a fixed rate. For each order the lag runs from the POST's answer (the commit) to the
 * event's arrival on each stream, so both columns measure the same events in the same run.
 * Run by deploy/load/frontdoor-cost.sh against a running `./ragline up` (demo data loaded).
 */
public class FrontDoorLag {

    private static final Pattern AGGREGATE = Pattern.compile("\"aggregate_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        String direct = options.getOrDefault("direct", "http://127.0.0.1:8000");
        String front = options.getOrDefault("front-door", "http://127.0.0.1:8080");
        int rate = Integer.parseInt(options.getOrDefault("rate", "20"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        String password = options.getOrDefault("password", "ragline-demo");

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String staff = login(http, front, "staff@demo.test", password);
        String customer = login(http, front, "customer@demo.test", password);
        String product = match(ID, get(http, front + "/v1/products?size=1", customer));

        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        Map<String, List<Long>> lag = Map.of("direct", Collections.synchronizedList(new ArrayList<>()), "front door",
                Collections.synchronizedList(new ArrayList<>()));
        listen(http, direct, staff, committedAt, lag.get("direct"));
        listen(http, front, staff, committedAt, lag.get("front door"));
        Thread.sleep(1000);

        ScheduledExecutorService pace = Executors.newScheduledThreadPool(4);
        long periodMicros = 1_000_000L / rate;
        pace.scheduleAtFixedRate(() -> {
            try {
                HttpResponse<String> placed = http.send(HttpRequest.newBuilder(URI.create(front + "/v1/orders"))
                        .header("Authorization", "Bearer " + customer).header("Content-Type", "application/json")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"items\":[{\"product_id\":\"" + product + "\",\"quantity\":1}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                long now = System.nanoTime();
                if (placed.statusCode() == 201) {
                    committedAt.put(match(ID, placed.body()), now);
                }
            } catch (Exception e) {
                System.err.println("order failed: " + e.getMessage());
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        pace.shutdown();
        pace.awaitTermination(10, TimeUnit.SECONDS);
        Thread.sleep(3000);

        System.out.printf("orders placed: %d at %d/s for %d s%n", committedAt.size(), rate, seconds);
        for (var entry : List.of("direct", "front door")) {
            List<Long> sorted = new ArrayList<>(lag.get(entry));
            Collections.sort(sorted);
            System.out.printf("commit -> SSE %-10s events %5d  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n",
                    entry, sorted.size(), pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                    sorted.isEmpty() ? 0 : sorted.getLast() / 1000.0);
        }
        System.exit(0);
    }

    private static void listen(HttpClient http, String base, String token, Map<String, Long> committedAt, List<Long> lag)
            throws Exception {
        HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events/orders"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(base + "/v1/events/orders answered " + response.statusCode());
        }
        Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    long now = System.nanoTime();
                    if (line.startsWith("data:") && line.contains("order_created")) {
                        Matcher order = AGGREGATE.matcher(line);
                        if (order.find()) {
                            // The POST's answer and the event race; an event first counts as 0 lag after the answer.
                            Long committed = waitFor(committedAt, order.group(1));
                            if (committed != null) {
                                lag.add(Math.max(0, (now - committed) / 1000));
                            }
                        }
                    }
                }
            } catch (Exception ended) {
                // stream closed
            }
        });
    }

    private static Long waitFor(Map<String, Long> committedAt, String order) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Long at = committedAt.get(order);
            if (at != null) {
                return at;
            }
            Thread.sleep(5);
        }
        return null;
    }

    private static String login(HttpClient http, String base, String email, String password) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"tenant\":\"demo\",\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return match(TOKEN, response.body());
    }

    private static String get(HttpClient http, String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String match(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected answer: " + text);
        }
        return matcher.group(1);
    }

    private static double pct(List<Long> sortedMicros, int percentile) {
        if (sortedMicros.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sortedMicros.size()) - 1;
        return sortedMicros.get(Math.max(0, index)) / 1000.0;
    }
}
