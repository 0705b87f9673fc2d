package dev.ragline.llm.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Plays ingest-service's {@code POST /api/v1/search} over real HTTP with its real answer: {@code {query, mode,
 * results: [SearchHit]}}, each hit {@code {chunk_id, score, text, document_id, title, source, source_id, url,
 * position, token_count, start_offset, end_offset}} (ingest-service's SearchResource and SearchHit, snake
 * case). It ranks the caller's tenant's chunks by shared words, trusts the bearer token's claims without
 * verifying them, records what it received, and can go down (its port closed) and come back.
 */
public final class FakeIngestService {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static FakeIngestService instance;

    public record Chunk(UUID tenantId, UUID documentId, String title, String source, String sourceId, String url,
            int position, String text) {
    }

    public record Received(String authorization, JsonNode body) {
    }

    private final List<Chunk> chunks = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicLong chunkIds = new AtomicLong();
    private final int port;
    private HttpServer server;

    private FakeIngestService() throws IOException {
        server = start(0);
        port = server.getAddress().getPort();
    }

    public static synchronized FakeIngestService instance() {
        if (instance == null) {
            try {
                instance = new FakeIngestService();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public void add(Chunk chunk) {
        chunks.add(chunk);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Closes the port: connections are refused, as when ingest-service is not running. */
    public synchronized void goDown() {
        server.stop(0);
    }

    public synchronized void comeBack() throws IOException {
        server = start(port);
    }

    private HttpServer start(int onPort) throws IOException {
        HttpServer started = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        started.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        started.createContext("/api/v1/search", this::search);
        started.start();
        return started;
    }

    private void search(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            JsonNode body = bytes.length == 0 ? MAPPER.nullNode() : MAPPER.readTree(bytes);
            received.add(new Received(authorization, body));
            JsonNode claims = StubHttp.bearerClaims(authorization);
            if (claims == null) {
                StubHttp.reply(exchange, 401, problem(401, "Unauthorized", "Missing or invalid bearer token"));
                return;
            }
            String query = body.path("query").asText("");
            if (query.isBlank()) {
                StubHttp.reply(exchange, 400, problem(400, "Bad Request", "query must not be blank"));
                return;
            }
            UUID tenant = UUID.fromString(claims.path("tenant_id").asText());
            int topK = body.path("top_k").asInt(5);
            Set<String> words = words(query);
            ObjectNode result = MAPPER.createObjectNode().put("query", query)
                    .put("mode", body.path("mode").asText("hybrid"));
            ArrayNode results = result.putArray("results");
            chunks.stream().filter(chunk -> chunk.tenantId().equals(tenant))
                    .map(chunk -> new Object[] { chunk, overlap(words, chunk.text()) })
                    .filter(scored -> (double) scored[1] > 0)
                    .sorted(Comparator.comparingDouble(scored -> -(double) scored[1]))
                    .limit(topK)
                    .forEach(scored -> {
                        Chunk chunk = (Chunk) scored[0];
                        results.addObject().put("chunk_id", chunkIds.incrementAndGet()).put("score", (double) scored[1])
                                .put("text", chunk.text()).put("document_id", chunk.documentId().toString())
                                .put("title", chunk.title()).put("source", chunk.source())
                                .put("source_id", chunk.sourceId()).put("url", chunk.url())
                                .put("position", chunk.position()).put("token_count", chunk.text().split("\\s+").length)
                                .put("start_offset", 0).put("end_offset", chunk.text().length());
                    });
            StubHttp.reply(exchange, 200, result);
        }
    }

    private static double overlap(Set<String> query, String text) {
        Set<String> words = words(text);
        return query.stream().filter(words::contains).count() / (double) Math.max(1, query.size());
    }

    private static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")).filter(word -> word.length() > 3)
                .collect(Collectors.toSet());
    }

    private static ObjectNode problem(int status, String title, String detail) {
        return MAPPER.createObjectNode().put("type", "about:blank").put("title", title).put("status", status)
                .put("detail", detail);
    }
}
