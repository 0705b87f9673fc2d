package dev.ragline.worker.process;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.ragline.worker.support.ApiOutbox;
import dev.ragline.worker.support.OrderEvent;

/**
 * Writes orders' lifecycles into the outbox at a steady pace on its own thread, the way api-service
 * would while customers order: created, then confirmed, then preparing, one commit per event.
 */
final class OrderStream {

    private static final String[] NEXT = { "confirmed", "preparing" };

    private final UUID tenant;
    private final int orders;
    private final long pauseMillis;
    private final List<OrderEvent> written = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private int holdAfter = Integer.MAX_VALUE;
    private Thread thread;
    private volatile Throwable failure;

    OrderStream(UUID tenant, int orders, long pauseMillis) {
        this.tenant = tenant;
        this.orders = orders;
        this.pauseMillis = pauseMillis;
    }

    int totalEvents() {
        return orders * (NEXT.length + 1);
    }

    /**
     * Stops writing after {@code events} events until {@link #release()}, so a test can act on the
     * worker at a known point of the stream however fast or slow the machine is.
     */
    OrderStream holdingAfter(int events) {
        this.holdAfter = events;
        return this;
    }

    void release() {
        released.countDown();
    }

    OrderStream start() {
        thread = Thread.ofPlatform().name("order-stream").start(this::write);
        return this;
    }

    void awaitWritten() throws InterruptedException {
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("writing the outbox failed", failure);
        }
    }

    List<OrderEvent> written() {
        return written;
    }

    List<UUID> eventIds() {
        return written.stream().map(OrderEvent::eventId).toList();
    }

    List<UUID> orderIds() {
        return written.stream().map(OrderEvent::orderId).distinct().toList();
    }

    private void write() {
        try (Connection connection = ApiOutbox.connect()) {
            List<OrderEvent> latest = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                latest.add(OrderEvent.created(tenant, UUID.randomUUID(), UUID.randomUUID()));
            }
            // Interleave the lifecycles, so several aggregates are in flight at any time.
            for (int step = 0; step <= NEXT.length; step++) {
                for (int i = 0; i < orders; i++) {
                    OrderEvent event = step == 0 ? latest.get(i) : latest.get(i).next("order_updated", NEXT[step - 1]);
                    latest.set(i, event);
                    ApiOutbox.insert(connection, event);
                    written.add(event);
                    if (written.size() == holdAfter) {
                        released.await();
                    }
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        }
    }
}
