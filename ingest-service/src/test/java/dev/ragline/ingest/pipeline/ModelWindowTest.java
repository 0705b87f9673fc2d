package dev.ragline.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.embedding.Embedder;
import dev.ragline.ingest.support.LongText;
import io.quarkus.test.junit.QuarkusTest;

/** With the in-process model, chunks follow its 256 word-piece window instead of being truncated by it. */
@QuarkusTest
class ModelWindowTest {

    @Inject
    Pipeline pipeline;

    @Inject
    Chunker chunker;

    @Inject
    Embedder embedder;

    @Test
    void the_default_500_tokens_shrink_to_the_in_process_model_window() throws Exception {
        ChunkPlan plan = pipeline.chunkPlan(new ObjectMapper().readTree("{}"));

        assertThat(plan).isEqualTo(new ChunkPlan(200, 40, true));
        assertThat(pipeline.chunkPlan(new ObjectMapper().readTree("{\"chunk_size\": 120, \"chunk_overlap\": 30}")))
                .isEqualTo(new ChunkPlan(120, 30, false));
    }

    @Test
    void no_chunk_exceeds_the_model_window_even_where_words_split_into_many_word_pieces() throws Exception {
        ChunkPlan plan = pipeline.chunkPlan(new ObjectMapper().readTree("{}"));
        // Part numbers split into many more word pieces than cl100k tokens: cl100k alone would overfill the window.
        StringBuilder text = new StringBuilder(LongText.paragraphs(10));
        java.util.Random random = new java.util.Random(3);
        for (int word = 0; word < 2000; word++) {
            for (int letter = 0; letter < 10; letter++) {
                text.append("bcdfghjklmnpqrstvwxz".charAt(random.nextInt(20)));
            }
            text.append(word % 25 == 24 ? ". " : " ");
        }

        List<Chunk> chunks = chunker.chunk(text.toString(), plan,
                new Chunker.ModelWindow(embedder.modelTokenCounter(), embedder.maxModelTokens()));

        assertThat(chunks).hasSizeGreaterThan(3).allSatisfy(chunk -> {
            assertThat(chunk.tokenCount()).isLessThanOrEqualTo(200);
            assertThat(embedder.modelTokenCounter().applyAsInt(chunk.text())).isLessThanOrEqualTo(254);
        });
        assertThat(chunks).anySatisfy(
                chunk -> assertThat(embedder.modelTokenCounter().applyAsInt(chunk.text())).isGreaterThan(200));
    }
}
