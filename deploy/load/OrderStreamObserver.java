import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One staff client of GET /v1/events/orders: stamps each order_created frame when its line arrives (on the reading
 * thread, so no hand-off lies between the arrival and its time), counts duplicate events, and sets the warm-up's
 * orders apart from the measured ones.
 */
final class OrderStreamObserver implements AutoCloseable {

    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern AGGREGATE_ID = Pattern.compile("\"aggregate_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern OCCURRED_AT = Pattern.compile("\"occurred_at\"\\s*:\\s*(\"[^\"]+\"|[0-9.]+)");

    /** One SSE frame of an order_created event as it arrived. */
    record Arrival(String eventId, long nanos, Instant wall, Instant occurredAt) {
    }

    private final RawHttp.Stream stream;
    private final Map<String, Arrival> arrived = new ConcurrentHashMap<>();
    private final Set<String> seenEvents = ConcurrentHashMap.newKeySet();
    private final Set<String> warmupOrders = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final CountDownLatch firstWarmupDelivery = new CountDownLatch(1);

    /** Opens the stream and returns once its first comment (the server's hello) came through. */
    OrderStreamObserver(URI api, String staffToken) throws Exception {
        stream = RawHttp.openStream(api, "/v1/events/orders",
                List.of("Accept: text/event-stream", "Authorization: Bearer " + staffToken));
        Thread.ofPlatform().name("sse-listener").daemon().start(this::listen);
        if (!connected.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The SSE stream did not open with a comment within 10 s");
        }
    }

    /** An order of the warm-up: its event is not measured. */
    void warmupOrder(String orderId) {
        warmupOrders.add(orderId);
    }

    /** True once an event of a warm-up order arrived (the relay created the topic and api-service found it). */
    boolean awaitWarmupDelivery(long millis) throws InterruptedException {
        return firstWarmupDelivery.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The measured orders' events by order id. */
    Map<String, Arrival> arrived() {
        return arrived;
    }

    long duplicates() {
        return duplicates.get();
    }

    private void listen() {
        try {
            for (String line; (line = stream.readLine()) != null;) {
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
                    } else if (warmupOrders.contains(aggregate.group(1))) {
                        firstWarmupDelivery.countDown();
                    } else {
                        arrived.put(aggregate.group(1), new Arrival(event.group(1), nanos, wall, instant(occurred.group(1))));
                    }
                }
            }
        } catch (Exception closed) {
            // the benchmark is over
        }
    }

    /** occurred_at as RFC 3339 text or as epoch seconds. */
    private static Instant instant(String value) {
        if (value.startsWith("\"")) {
            return OffsetDateTime.parse(value.substring(1, value.length() - 1)).toInstant();
        }
        double seconds = Double.parseDouble(value);
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }

    @Override
    public void close() throws java.io.IOException {
        stream.close();
    }
}
