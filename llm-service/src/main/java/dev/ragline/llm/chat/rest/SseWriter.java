package dev.ragline.llm.chat.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import dev.ragline.llm.chat.ChatEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.http.HttpServerResponse;

/** Writes chat events as {@code text/event-stream}, flushing each one, until the turn ends or the client leaves. */
final class SseWriter {

    static void write(Multi<ChatEvent> events, OutputStream out, HttpServerResponse connection) throws IOException {
        BlockingQueue<Optional<ChatEvent>> pending = new LinkedBlockingQueue<>();
        Cancellable turn = events.subscribe().with(event -> pending.add(Optional.of(event)),
                failure -> pending.add(Optional.empty()), () -> pending.add(Optional.empty()));
        connection.closeHandler(closed -> {
            turn.cancel();
            pending.add(Optional.empty());
        });
        try {
            for (Optional<ChatEvent> next = pending.take(); next.isPresent(); next = pending.take()) {
                ChatEvent event = next.get();
                out.write(("event: " + event.type() + "\ndata: " + event.data() + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            turn.cancel();
        } catch (IOException e) {
            turn.cancel();
            throw e;
        }
    }

    private SseWriter() {
    }
}
