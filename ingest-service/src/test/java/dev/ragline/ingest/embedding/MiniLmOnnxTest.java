package dev.ragline.ingest.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Our ONNX session changes how the model is scheduled on the CPUs, not what it computes. A Quarkus test
 * only so that the tokenizer's native library loads in the same class loader as in the other tests.
 */
@QuarkusTest
class MiniLmOnnxTest {

    @Test
    void embeds_a_batch_as_langchain4j_stock_model_does() {
        List<TextSegment> texts = List.of("How do I get a refund for a damaged kettle?",
                "The warehouse team ships every incoming order before noon.",
                "Crème brûlée, naïve café: accents and punctuation!", "x").stream().map(TextSegment::from).toList();

        List<Embedding> ours = MiniLmOnnx.create(2).embedAll(texts).content();
        List<Embedding> stock = new AllMiniLmL6V2QuantizedEmbeddingModel().embedAll(texts).content();

        assertThat(ours).hasSameSizeAs(stock);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(ours.get(i).dimension()).isEqualTo(384);
            assertThat(cosine(ours.get(i).vector(), stock.get(i).vector())).as(texts.get(i).text()).isGreaterThan(0.9999);
        }
        assertThat(cosine(ours.get(0).vector(), ours.get(1).vector())).isLessThan(0.9);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, normA = 0, normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }
}
