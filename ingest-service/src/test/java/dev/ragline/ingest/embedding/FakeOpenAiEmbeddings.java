package dev.ragline.ingest.embedding;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.ragline.ingest.support.HttpExchanges;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local server speaking OpenAI's /v1/embeddings: 8-dimensional bag-of-words vectors (so similar texts
 * are near), usage counts, and a 429 with Retry-After on the very first call, as a rate-limited API does.
 */
public class FakeOpenAiEmbeddings implements QuarkusTestResourceLifecycleManager {

    public static final AtomicInteger CALLS = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/embeddings", this::embeddings);
        server.start();
        return Map.of("rake.embedding.provider", "openai",
                "rake.embedding.openai.base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "rake.embedding.openai.api-key", "sk-test",
                "rake.embedding.openai.model", "text-embedding-3-small",
                "rake.embedding.openai.dimension", "8",
                "rake.embedding.openai.initial-backoff", "50ms",
                // a price that shows on a job of a few tokens
                "rake.embedding.openai.price-per-million-tokens", "1000");
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        if (CALLS.getAndIncrement() == 0) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            HttpExchanges.respond(exchange, 429, "application/json",
                    "{\"error\":{\"message\":\"Rate limit reached for requests\"}}");
            return;
        }
        JsonNode request = json.readTree(exchange.getRequestBody());
        ObjectNode response = json.createObjectNode().put("object", "list").put("model", request.path("model").asText());
        ArrayNode data = response.putArray("data");
        int tokens = 0;
        for (int i = 0; i < request.path("input").size(); i++) {
            String[] words = request.path("input").get(i).asText().toLowerCase(Locale.ROOT).split("\\W+");
            tokens += words.length;
            double[] vector = new double[8];
            for (String word : words) {
                if (word.length() > 3) {
                    vector[Math.floorMod(word.hashCode(), 8)] += 1;
                }
            }
            ArrayNode values = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (double value : vector) {
                values.add(value + 0.01);
            }
        }
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        HttpExchanges.respond(exchange, 200, "application/json", response.toString());
    }
}
