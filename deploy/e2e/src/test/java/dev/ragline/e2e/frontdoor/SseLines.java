package dev.ragline.e2e.frontdoor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** An SSE connection read line by line on a virtual thread, each line stamped with when it arrived. */
final class SseLines implements AutoCloseable {

    record Line(Instant at, String text) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<Stream<String>> response;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private SseLines(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(() -> {
            try (Stream<String> body = response.body()) {
                body.forEach(line -> lines.add(new Line(Instant.now(), line)));
            } catch (RuntimeException closed) {
                // the connection was closed: what arrived stays in lines
            }
        });
    }

    /** Opens {@code uri} as a browser's EventSource would: a Cookie header, no Authorization. */
    static SseLines open(URI uri, String cookie) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").header("Cookie", cookie)
                .GET().build();
        return new SseLines(HTTP.send(request, HttpResponse.BodyHandlers.ofLines()));
    }

    /** True once the server closed the stream (the reader saw its end). */
    boolean ended() {
        return !reader.isAlive();
    }

    int status() {
        return response.statusCode();
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    List<Line> matching(String prefix) {
        return lines.stream().filter(line -> line.text().startsWith(prefix)).toList();
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            response.body().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
    }
}
