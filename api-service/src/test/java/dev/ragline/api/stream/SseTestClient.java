package dev.ragline.api.stream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A minimal EventSource: reads a text/event-stream over a real HTTP connection and collects its
 * frames (events, and comments such as heartbeats) as a browser would dispatch them.
 */
final class SseTestClient implements AutoCloseable {

    record Frame(String id, String event, String data, String comment) {

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(data);
            } catch (Exception e) {
                throw new IllegalStateException("Not JSON: " + data, e);
            }
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final HttpResponse<Stream<String>> response;
    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean ended;

    private SseTestClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static SseTestClient connect(URI uri, String token, String lastEventId) throws Exception {
        return connect(uri, token, lastEventId, null);
    }

    /** As a browser's EventSource connects: with the cookies of the origin ({@code cookie}: a Cookie header value). */
    static SseTestClient connect(URI uri, String token, String lastEventId, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseTestClient(HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines()));
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** Frames that carry data: what EventSource hands to the page. */
    List<Frame> events() {
        return frames.stream().filter(frame -> frame.data() != null).toList();
    }

    List<String> eventIdsOfOrders() {
        return events().stream().map(frame -> frame.json().path("event_id").asText()).toList();
    }

    /** The id a reconnecting EventSource would send as Last-Event-ID. */
    String lastEventId() {
        String last = null;
        for (Frame frame : frames) {
            if (frame.id() != null) {
                last = frame.id();
            }
        }
        return last;
    }

    private void read() {
        String id = null, event = null, comment = null;
        List<String> data = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (id != null || event != null || comment != null || !data.isEmpty()) {
                        frames.add(new Frame(id, event, data.isEmpty() ? null : String.join("\n", data), comment));
                    }
                    id = event = comment = null;
                    data.clear();
                } else if (line.startsWith(":")) {
                    comment = line.substring(1).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).stripLeading());
                }
            }
        } catch (Exception closed) {
            // the test closed the connection
        } finally {
            ended = true;
        }
    }

    /** Whether the server (or the test) ended the stream. */
    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
