import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Sends the orders: one thread per connection takes the next scheduled order off the queue, POSTs it (a new
 * Idempotency-Key each) and reports the response (null when the request failed) with its scheduled time.
 */
final class OrderSender implements AutoCloseable {
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

    /**
     * Calls task count times, the i-th at start + i / rate (open loop), with that intended time in nanoTime
     * terms: when the caller falls behind, the lateness counts against the request rather than vanishing.
     */
    static void paced(int rate, long count, LongConsumer task) {
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
}
