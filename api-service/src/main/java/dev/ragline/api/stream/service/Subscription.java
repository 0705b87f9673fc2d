package dev.ragline.api.stream.service;

import java.util.concurrent.TimeUnit;

import dev.ragline.api.stream.CursorSeal;
import dev.ragline.api.stream.OrderStreamEvent;
import dev.ragline.api.stream.StreamCursor;
import dev.ragline.api.stream.StreamViewer;
import io.micrometer.core.instrument.Timer;

/**
 * A connected client: what it may see and how far through the topic it has been offered events.
 * Only {@link OrderEventHub} touches it, under its lock, so the cursor needs no synchronisation.
 */
public final class Subscription {

    private final StreamViewer viewer;
    private final StreamCursor cursor;
    private final CursorSeal seal;
    private final OrderEventSink sink;
    private final Timer deliveryLag;

    Subscription(StreamViewer viewer, StreamCursor cursor, CursorSeal seal, OrderEventSink sink, Timer deliveryLag) {
        this.viewer = viewer;
        this.cursor = cursor;
        this.seal = seal;
        this.sink = sink;
        this.deliveryLag = deliveryLag;
    }

    StreamViewer viewer() {
        return viewer;
    }

    StreamCursor cursor() {
        return cursor;
    }

    OrderEventSink sink() {
        return sink;
    }

    /**
     * Offers one event of the topic. Events the client already had (it resumed from a replica that
     * was further ahead, or from a replayed window) are skipped, which keeps the stream free of
     * duplicates; every other event moves the cursor, whether the viewer may see it or not. Only live
     * deliveries count towards the lag metric: a replay's age is the client's absence, not latency.
     */
    void offer(OrderStreamEvent event, boolean live) {
        if (!cursor.isAhead(event.partition(), event.offset())) {
            return;
        }
        cursor.passed(event.partition(), event.offset());
        if (viewer.canSee(event)) {
            sink.event(event, seal.seal(cursor));
            if (live) {
                deliveryLag.record(Math.max(0, System.currentTimeMillis() - event.publishedAtMillis()),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    void heartbeat(long[] offered) {
        cursor.catchUp(offered);
        sink.heartbeat(seal.seal(cursor));
    }
}
