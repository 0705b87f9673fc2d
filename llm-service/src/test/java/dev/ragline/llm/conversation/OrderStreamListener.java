package dev.ragline.llm.conversation;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A web app following api-service's GET /v1/events/orders: reads the SSE frames on its own thread. */
final class OrderStreamListener implements AutoCloseable {

    record Frame(String event, JsonNode data) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final AtomicBoolean connected = new AtomicBoolean();
    private final Thread reader;
    private volatile InputStream body;

    private OrderStreamListener(URI stream, String token) {
        HttpRequest request = HttpRequest.newBuilder(stream).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").GET().build();
        reader = Thread.ofVirtual().name("order-stream-listener").start(() -> read(request));
    }

    /** Connects and returns once api-service has acknowledged the stream with its {@code :connected} comment. */
    static OrderStreamListener open(URI stream, String token) {
        OrderStreamListener listener = new OrderStreamListener(stream, token);
        await("order stream connected").atMost(Duration.ofSeconds(30)).untilTrue(listener.connected);
        return listener;
    }

    List<Frame> frames() {
        return List.copyOf(frames);
    }

    private void read(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /v1/events/orders answered " + response.statusCode());
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(":connected")) {
                        connected.set(true);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    } else if (line.isEmpty()) {
                        if (event != null && !data.isEmpty()) {
                            frames.add(new Frame(event, JSON.readTree(data.toString())));
                        }
                        event = null;
                        data.setLength(0);
                    }
                }
            }
        } catch (IOException e) {
            // closed by the test, or the service went away: the assertions on the frames tell what was missed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        if (body != null) {
            body.close();
        }
        reader.interrupt();
    }
}
