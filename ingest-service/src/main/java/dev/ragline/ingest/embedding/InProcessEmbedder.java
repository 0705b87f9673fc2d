package dev.ragline.ingest.embedding;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.ToIntFunction;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

/**
 * all-MiniLM-L6-v2 (quantized ONNX) inside the JVM: no network, 384 dimensions. It reads 256 word
 * pieces including [CLS] and [SEP]; longer input would be cut, so chunks are kept within that.
 */
public class InProcessEmbedder implements Embedder {

    static final String MODEL = "all-minilm-l6-v2-q";
    private static final int WORD_PIECES = 254;
    // English prose takes about 1.2 word pieces per cl100k token; the chunker checks the real count as well.
    private static final int CHUNK_TOKENS = 200;

    /** One session for the JVM, as LangChain4j's own model has: it is stateless and holds the model's weights. */
    private static final MiniLmOnnx SHARED = MiniLmOnnx.create(Runtime.getRuntime().availableProcessors());

    private final MiniLmOnnx model = SHARED;
    private final WordPieces wordPieces = WordPieces.of(new HuggingFaceTokenCountEstimator()::estimateTokenCountInText);
    private final Chunkable tokenizer;

    /** cl100k counter for accounting: the model is free, but the job still records tokens embedded. */
    public interface Chunkable {
        int countTokens(String text);
    }

    public InProcessEmbedder(Chunkable tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public int dimension() {
        return 384;
    }

    @Override
    public int maxChunkTokens() {
        return CHUNK_TOKENS;
    }

    @Override
    public ToIntFunction<String> modelTokenCounter() {
        return wordPieces;
    }

    @Override
    public int maxModelTokens() {
        return WORD_PIECES;
    }

    @Override
    public Embeddings embed(List<String> texts) {
        List<Embedding> embeddings = model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        long tokens = texts.stream().mapToLong(tokenizer::countTokens).sum();
        return new Embeddings(embeddings.stream().map(Embedding::vector).toList(), tokens, BigDecimal.ZERO);
    }

    @Override
    public boolean healthy() {
        return model.embed("health").content().dimension() == dimension();
    }
}
