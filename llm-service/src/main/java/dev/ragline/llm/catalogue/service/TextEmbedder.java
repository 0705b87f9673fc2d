package dev.ragline.llm.catalogue.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

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

/**
 * all-MiniLM-L6-v2 (quantised) running in-process through ONNX: 384 dimensions, no network, the same
 * model for the catalogue index, queries and the offline responder's tool choice.
 */
@ApplicationScoped
public class TextEmbedder {

    public static final int DIMENSIONS = 384;

    private final EmbeddingModel model = new OnCallingThreadMiniLm();

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

    public float[] embed(String text) {
        return model.embed(text).content().vector();
    }

    /** Several texts at once, spread over the model's worker threads (one inference per thread). */
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(Embedding::vector).toList();
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
