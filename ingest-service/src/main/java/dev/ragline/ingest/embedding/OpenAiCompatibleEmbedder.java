package dev.ragline.ingest.embedding;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.IngestConfig;

/**
 * Any OpenAI-compatible {@code /v1/embeddings} endpoint. Retries 429 and 5xx with exponential backoff,
 * waiting at least what {@code Retry-After} asks (a fault-tolerance @Retry cannot take its delay from the
 * response, hence the loop); counts tokens from the response's usage and prices them from config.
 */
public class OpenAiCompatibleEmbedder implements Embedder {

    private static final Logger LOG = Logger.getLogger(OpenAiCompatibleEmbedder.class);

    private final IngestConfig.Embedding.OpenAi config;
    private final ObjectMapper json;
    private final ToIntFunction<String> cl100k;
    private final HttpClient client;
    private volatile boolean lastCallSucceeded = true;

    public OpenAiCompatibleEmbedder(IngestConfig.Embedding.OpenAi config, ObjectMapper json,
            ToIntFunction<String> cl100k) {
        this.config = config;
        this.json = json;
        this.cl100k = cl100k;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static class EmbeddingFailed extends RuntimeException {
        public EmbeddingFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public String model() {
        return config.model();
    }

    @Override
    public int dimension() {
        return config.dimension();
    }

    @Override
    public int maxChunkTokens() {
        return config.maxInputTokens();
    }

    @Override
    public ToIntFunction<String> modelTokenCounter() {
        return cl100k;
    }

    @Override
    public int maxModelTokens() {
        return config.maxInputTokens();
    }

    @Override
    public boolean healthy() {
        return lastCallSucceeded;
    }

    @Override
    public Embeddings embed(List<String> texts) {
        ObjectNode body = json.createObjectNode().put("model", config.model());
        texts.forEach(body.putArray("input")::add);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripSlash(config.baseUrl()) + "/v1/embeddings"))
                .timeout(config.timeout()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        config.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        try {
            Embeddings embeddings = parse(sendWithRetries(request.build()), texts.size());
            lastCallSucceeded = true;
            return embeddings;
        } catch (RuntimeException e) {
            lastCallSucceeded = false;
            throw e;
        }
    }

    private String sendWithRetries(HttpRequest request) {
        Duration backoff = config.initialBackoff();
        for (int attempt = 0;; attempt++) {
            Optional<Duration> retryAfter;
            String failure;
            Exception cause = null;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return response.body();
                }
                if (status != 429 && status < 500) {
                    throw new EmbeddingFailed("embeddings endpoint answered " + status + ": " + abbreviate(response.body()),
                            null);
                }
                failure = "HTTP " + status;
                retryAfter = response.headers().firstValue("Retry-After").flatMap(OpenAiCompatibleEmbedder::retryAfter);
            } catch (IOException e) {
                failure = e.toString();
                retryAfter = Optional.empty();
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddingFailed("interrupted while embedding", e);
            }
            if (attempt >= config.maxRetries()) {
                throw new EmbeddingFailed("embeddings endpoint still failing after " + attempt + " retries: " + failure,
                        cause);
            }
            Duration exponential = backoff;
            Duration wait = retryAfter.filter(after -> after.compareTo(exponential) > 0).orElse(exponential);
            LOG.debugf("embeddings call failed (%s), retrying in %s", failure, wait);
            sleep(wait);
            backoff = min(backoff.multipliedBy(2), config.maxBackoff());
        }
    }

    static Optional<Duration> retryAfter(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }

    private Embeddings parse(String body, int expected) {
        try {
            JsonNode response = json.readTree(body);
            float[][] vectors = new float[expected][];
            for (JsonNode item : response.path("data")) {
                JsonNode values = item.path("embedding");
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) values.get(i).asDouble();
                }
                if (vector.length != config.dimension()) {
                    throw new EmbeddingFailed("model returned " + vector.length + " dimensions, configured "
                            + config.dimension(), null);
                }
                vectors[item.path("index").asInt()] = vector;
            }
            if (Arrays.stream(vectors).anyMatch(vector -> vector == null)) {
                throw new EmbeddingFailed("embeddings response is missing items", null);
            }
            long tokens = response.path("usage").path("total_tokens").asLong(0);
            BigDecimal cost = config.pricePerMillionTokens().multiply(BigDecimal.valueOf(tokens))
                    .divide(BigDecimal.valueOf(1_000_000), MathContext.DECIMAL64);
            return new Embeddings(new ArrayList<>(Arrays.asList(vectors)), tokens, cost);
        } catch (IOException e) {
            throw new EmbeddingFailed("unreadable embeddings response", e);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingFailed("interrupted while waiting to retry", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String stripSlash(String url) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
