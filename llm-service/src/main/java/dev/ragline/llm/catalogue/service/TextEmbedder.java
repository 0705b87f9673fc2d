package dev.ragline.llm.catalogue.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.ragline.llm.common.LlmConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * all-MiniLM-L6-v2 (quantised) running in-process through ONNX: 384 dimensions, no network, the same
 * model for the catalogue index, queries and the offline responder's tool choice.
 *
 * <p>
 * Inferences run on a pool of platform threads, never on the caller's thread: chats run on virtual threads, and a
 * native inference of a few milliseconds holds the carrier it runs on, so twenty chats embedding at once left no
 * carrier for the requests, session writes and events of the other chats. Waiting for the pool releases the carrier.
 * The pool has half the cores by default: with as many threads as cores, a burst of inferences took every core from
 * the service's own work (20 concurrent offline chats on 2 cores: first token p50 62 ms, of which 35 ms not the
 * model's; with one thread 58 ms, of which 9 ms). Queries are remembered by text (the offline responder embeds a
 * message to choose its tool, then retrieve_menu embeds the same message).
 */
@ApplicationScoped
public class TextEmbedder {

    public static final int DIMENSIONS = 384;

    private final EmbeddingModel model = new OnCallingThreadMiniLm();
    private final ExecutorService inferences;
    private final Cache<String, float[]> queries;
    private final Timer inference;

    @Inject
    TextEmbedder(LlmConfig config, MeterRegistry meters) {
        this(config.embedding().threads().orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)),
                config.embedding().queryCacheSize(), meters);
    }

    public TextEmbedder(int threads, long queryCacheSize, MeterRegistry meters) {
        this.inferences = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("embedding-", 0).daemon()
                .factory());
        this.queries = Caffeine.newBuilder().maximumSize(queryCacheSize).build();
        this.inference = Timer.builder("ragline_llm_embedding")
                .description("One text embedded by the in-process model: the wait for an inference thread plus the "
                        + "inference")
                .publishPercentiles(0.5, 0.95, 0.99).register(meters);
    }

    /**
     * The model of {@link AllMiniLmL6V2QuantizedEmbeddingModel} (read from its jar; that class is never initialised,
     * as it would open a second session), in an ONNX Runtime session that computes on the calling thread only.
     * By default ONNX Runtime adds an intra-op thread per core that busy-waits between inferences: with many
     * chats embedding a short message each, those threads burned CPU the chats themselves needed. Concurrent
     * chats, and {@link #embedAll}'s parallel inferences, keep the cores busy instead.
     */
    private static final class OnCallingThreadMiniLm extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        OnCallingThreadMiniLm() {
            super(null);
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (InputStream onnx = resource("all-minilm-l6-v2-q.onnx");
                    InputStream tokenizer = resource("all-minilm-l6-v2-q-tokenizer.json");
                    OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                OrtSession session = environment.createSession(onnx.readAllBytes(), options);
                encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (OrtException e) {
                throw new IllegalStateException("Cannot load the embedding model", e);
            }
        }

        private static InputStream resource(String name) {
            InputStream stream = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream("/" + name);
            if (stream == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return stream;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }
    }

    /** A text of the catalogue: embedded on the inference pool, not remembered. */
    public float[] embed(String text) {
        long started = System.nanoTime();
        try {
            return inferences.submit(() -> model.embed(text).content().vector()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("Interrupted while waiting for an embedding");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            inference.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /** A customer's words or a search query: remembered, as the same text is often embedded again soon. */
    public float[] embedQuery(String text) {
        float[] remembered = queries.getIfPresent(text);
        if (remembered != null) {
            return remembered;
        }
        float[] vector = embed(text);
        queries.put(text, vector);
        return vector;
    }

    /** Several texts at once, spread over the model's worker threads (one inference per thread). */
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(Embedding::vector).toList();
    }

    @PreDestroy
    void stop() {
        inferences.shutdownNow();
    }

    /** pgvector's text form, bound as a parameter and cast with {@code ::vector}. */
    public static String toVectorLiteral(float[] vector) {
        StringBuilder literal = new StringBuilder(vector.length * 10).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append(vector[i]);
        }
        return literal.append(']').toString();
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return dot / (Math.sqrt(normA) * Math.sqrt(normB));
    }
}
