package dev.ragline.api.stream.service;

import dev.ragline.api.stream.OrderStreamEvent;

/**
 * One client connection (SSE or WebSocket) as the hub sees it. Calls arrive in stream order and
 * must not block: implementations queue the frame on the connection and return.
 */
public interface OrderEventSink {

    /** The first frame, sent at once so proxies see bytes and the client holds a resumable id. */
    void opened(String cursor);

    void event(OrderStreamEvent event, String cursor);

    /** Keeps an idle connection open and moves the client's resumable id forward. */
    void heartbeat(String cursor);

    /**
     * The client asked to resume from a point older than the retained window (or sent an id that is
     * not ours): some events may be missing, so it should reload its orders over REST.
     */
    void resync(String cursor);

    /** The client is too slow or the replica is shutting down; it reconnects with its last id. */
    void close();
}
