package dev.ragline.ingest.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.support.HttpExchanges;

/** Against a local server speaking OpenAI's /v1/embeddings protocol, including its rate limiting. */
class OpenAiCompatibleEmbedderTest {

    private final ObjectMapper json = new ObjectMapper();
    private final Deque<Integer> plannedFailures = new ArrayDeque<>();
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", this::embeddings);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        requestTimes.add(System.nanoTime());
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        JsonNode request = json.readTree(exchange.getRequestBody());
        Integer failure = plannedFailures.poll();
        if (failure != null) {
            if (failure == 429) {
                exchange.getResponseHeaders().add("Retry-After", "1");
            }
            HttpExchanges.respond(exchange, failure, "application/json",
                    "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}");
            return;
        }
        ObjectNode response = json.createObjectNode().put("object", "list").put("model", request.path("model").asText());
        ArrayNode data = response.putArray("data");
        int tokens = 0;
        for (int i = 0; i < request.path("input").size(); i++) {
            String input = request.path("input").get(i).asText();
            tokens += input.split("\\s+").length;
            ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (int d = 0; d < 8; d++) {
                vector.add((input.length() + d) / 100.0);
            }
        }
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        HttpExchanges.respond(exchange, 200, "application/json", response.toString());
    }

    private OpenAiCompatibleEmbedder embedder() {
        return new OpenAiCompatibleEmbedder(config(), json, text -> text.length() / 4);
    }

    @Test
    void vectors_come_back_in_input_order_with_tokens_and_cost() {
        Embedder.Embeddings result = embedder().embed(List.of("one two three", "four five"));

        assertThat(result.vectors()).hasSize(2);
        assertThat(result.vectors().get(0)[0]).isEqualTo(0.13f);
        assertThat(result.vectors().get(1)[0]).isEqualTo(0.09f);
        assertThat(result.tokens()).isEqualTo(5);
        assertThat(result.costUsd()).isEqualByComparingTo(new BigDecimal("0.0000001"));
        assertThat(authorizations).containsExactly("Bearer sk-test");
    }

    @Test
    void a_429_is_retried_after_the_retry_after_delay() {
        plannedFailures.add(429);

        Embedder.Embeddings result = embedder().embed(List.of("retry me"));

        assertThat(result.vectors()).hasSize(1);
        assertThat(requestTimes).hasSize(2);
        assertThat(Duration.ofNanos(requestTimes.get(1) - requestTimes.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void server_errors_are_retried_with_backoff_until_they_give_up() {
        plannedFailures.addAll(List.of(503, 502, 500, 500));

        assertThatThrownBy(() -> embedder().embed(List.of("never"))).hasMessageContaining("after 3 retries")
                .hasMessageContaining("HTTP 500");
        assertThat(requestTimes).hasSize(4);
    }

    @Test
    void a_client_error_is_not_retried() {
        plannedFailures.add(400);

        assertThatThrownBy(() -> embedder().embed(List.of("bad"))).hasMessageContaining("400");
        assertThat(requestTimes).hasSize(1);
    }

    @Test
    void retry_after_reads_seconds_and_http_dates() {
        assertThat(OpenAiCompatibleEmbedder.retryAfter("7")).contains(Duration.ofSeconds(7));
        assertThat(OpenAiCompatibleEmbedder.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(OpenAiCompatibleEmbedder.retryAfter("soon")).isEmpty();
    }

    private IngestConfig.Embedding.OpenAi config() {
        String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        return new IngestConfig.Embedding.OpenAi() {
            public String baseUrl() {
                return baseUrl;
            }

            public Optional<String> apiKey() {
                return Optional.of("sk-test");
            }

            public String model() {
                return "text-embedding-3-small";
            }

            public int dimension() {
                return 8;
            }

            public int maxInputTokens() {
                return 8191;
            }

            public BigDecimal pricePerMillionTokens() {
                return new BigDecimal("0.02");
            }

            public int maxRetries() {
                return 3;
            }

            public Duration initialBackoff() {
                return Duration.ofMillis(10);
            }

            public Duration maxBackoff() {
                return Duration.ofMillis(100);
            }

            public Duration timeout() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
