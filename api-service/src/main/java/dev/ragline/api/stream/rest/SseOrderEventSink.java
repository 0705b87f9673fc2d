package dev.ragline.api.stream.rest;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import dev.ragline.api.stream.OrderStreamEvent;
import dev.ragline.api.stream.service.OrderEventSink;
import io.smallrye.mutiny.subscription.MultiEmitter;

/** Turns hub calls into SSE frames; the {@code id} of every frame is the client's resumable cursor. */
final class SseOrderEventSink implements OrderEventSink {

    private final MultiEmitter<? super OutboundSseEvent> emitter;
    private final Sse sse;

    SseOrderEventSink(MultiEmitter<? super OutboundSseEvent> emitter, Sse sse) {
        this.emitter = emitter;
        this.sse = sse;
    }

    @Override
    public void opened(String cursor) {
        emit(sse.newEventBuilder().comment("connected").id(cursor).build());
    }

    @Override
    public void event(OrderStreamEvent event, String cursor) {
        emit(sse.newEventBuilder()
                .id(cursor)
                .name(event.eventType())
                .data(event.envelope())
                .build());
    }

    @Override
    public void heartbeat(String cursor) {
        // A frame with an id but no data moves the browser's Last-Event-ID without firing an event.
        emit(sse.newEventBuilder().comment("heartbeat").id(cursor).build());
    }

    @Override
    public void resync(String cursor) {
        emit(sse.newEventBuilder()
                .id(cursor)
                .name("resync")
                .data("{\"reason\":\"events before this point are no longer retained; reload your orders\"}")
                .build());
    }

    @Override
    public void close() {
        emitter.complete();
    }

    private void emit(OutboundSseEvent frame) {
        if (!emitter.isCancelled()) {
            emitter.emit(frame);
        }
    }
}
