package dev.ragline.api.stream.rest;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.api.stream.OrderStreamEvent;
import dev.ragline.api.stream.service.OrderEventSink;

/**
 * Sends the same frames as the SSE stream as JSON text messages
 * ({@code {"id","event","data"}}), asynchronously; a client that lets too many pile up is closed
 * and resumes with {@code last_event_id}.
 */
final class WebSocketOrderEventSink implements OrderEventSink {

    private static final Logger LOG = Logger.getLogger(WebSocketOrderEventSink.class);

    private final Session session;
    private final ObjectMapper json;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();

    WebSocketOrderEventSink(Session session, ObjectMapper json, int maxPending) {
        this.session = session;
        this.json = json;
        this.maxPending = maxPending;
    }

    @Override
    public void opened(String cursor) {
        send(frame("connected", cursor).toString());
    }

    @Override
    public void event(OrderStreamEvent event, String cursor) {
        // The envelope is spliced in as published rather than parsed and re-serialised per client.
        String head = frame(event.eventType(), cursor).toString();
        send(head.substring(0, head.length() - 1) + ",\"data\":" + event.envelope() + "}");
    }

    @Override
    public void heartbeat(String cursor) {
        send(frame("heartbeat", cursor).toString());
    }

    @Override
    public void resync(String cursor) {
        ObjectNode frame = frame("resync", cursor);
        frame.putObject("data").put("reason", "events before this point are no longer retained; reload your orders");
        send(frame.toString());
    }

    @Override
    public void close() {
        close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "reconnect with last_event_id"));
    }

    private ObjectNode frame(String event, String cursor) {
        return json.createObjectNode().put("id", cursor).put("event", event);
    }

    private void send(String text) {
        if (!session.isOpen()) {
            return;
        }
        if (pending.incrementAndGet() > maxPending) {
            close(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too slow; reconnect with last_event_id"));
            return;
        }
        session.getAsyncRemote().sendText(text, result -> pending.decrementAndGet());
    }

    private void close(CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException | IllegalStateException alreadyClosed) {
            LOG.debugf("Order stream socket %s already closed: %s", session.getId(), alreadyClosed.getMessage());
        }
    }
}
