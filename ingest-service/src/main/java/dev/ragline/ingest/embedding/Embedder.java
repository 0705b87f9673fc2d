package dev.ragline.ingest.embedding;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.ToIntFunction;

/** EMBED: turns chunk texts into vectors with one model, and says what that cost. */
public interface Embedder {

    /** Model name; with the dimension it names the collection the vectors go to. */
    String model();

    int dimension();

    /** Largest chunk, in cl100k tokens, that the model reads whole. */
    int maxChunkTokens();

    /** Counts tokens with the model's own tokenizer, and how many of them it reads. */
    ToIntFunction<String> modelTokenCounter();

    int maxModelTokens();

    Embeddings embed(List<String> texts);

    /** Whether the model answers now, for /health. */
    boolean healthy();

    record Embeddings(List<float[]> vectors, long tokens, BigDecimal costUsd) {
    }
}
