package dev.ragline.llm.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads POST /v1/chat as a browser's EventSource would: event names and JSON data, in order. */
public final class SseClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Event(String type, JsonNode data) {
    }

    public record Reply(int status, HttpResponse<?> response, List<Event> events) {

        public List<Event> ofType(String type) {
            return events.stream().filter(event -> event.type().equals(type)).toList();
        }

        public List<String> toolsCalled() {
            return ofType("tool_call").stream().map(event -> event.data().path("name").asText()).toList();
        }

        public JsonNode toolResult(String tool) {
            return ofType("tool_result").stream().filter(event -> event.data().path("name").asText().equals(tool))
                    .reduce((first, second) -> second).orElseThrow().data();
        }

        public String text() {
            return String.join("", ofType("token").stream().map(event -> event.data().path("text").asText()).toList());
        }

        public UUID sessionId() {
            return UUID.fromString(events.getFirst().data().path("session_id").asText());
        }

        public Event last() {
            return events.getLast();
        }
    }

    private final URI endpoint;

    public SseClient(URI base) {
        this.endpoint = base.resolve("/v1/chat");
    }

    public Reply send(String token, UUID sessionId, String message) {
        return send(token, sessionId, message, event -> false);
    }

    /** Sends a message and reads events until the stream ends, or until {@code stopAfter} accepts one. */
    public Reply send(String token, UUID sessionId, String message, Predicate<Event> stopAfter) {
        var body = MAPPER.createObjectNode().put("message", message);
        if (sessionId != null) {
            body.put("session_id", sessionId.toString());
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
            List<Event> events = new ArrayList<>();
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    return new Reply(response.statusCode(), response, events);
                }
                String type = null;
                StringBuilder data = new StringBuilder();
                Iterator<String> iterator = lines.iterator();
                while (iterator.hasNext()) {
                    String line = iterator.next();
                    if (line.startsWith("event:")) {
                        type = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    } else if (line.isEmpty() && type != null) {
                        Event event = new Event(type, MAPPER.readTree(data.toString()));
                        events.add(event);
                        type = null;
                        data.setLength(0);
                        if (stopAfter.test(event)) {
                            break;
                        }
                    }
                }
            }
            return new Reply(response.statusCode(), response, events);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
