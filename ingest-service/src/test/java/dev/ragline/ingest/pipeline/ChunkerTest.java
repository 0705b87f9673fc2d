package dev.ragline.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.support.LongText;

class ChunkerTest {

    private final Chunker chunker = new Chunker();
    private final Chunker.ModelWindow unlimited = Chunker.ModelWindow.unlimited();

    @Test
    void chunks_stay_within_the_size_and_cut_at_sentence_ends() {
        String text = LongText.paragraphs(40);

        List<Chunk> chunks = chunker.chunk(text, new ChunkPlan(120, 20, false), unlimited);

        assertThat(chunks).hasSizeGreaterThan(5);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.tokenCount()).isLessThanOrEqualTo(120).isEqualTo(chunker.countTokens(chunk.text()));
            assertThat(chunk.text()).endsWith(".");
            assertThat(text.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
        });
        assertThat(chunks).extracting(Chunk::position).containsExactly(
                java.util.stream.IntStream.range(0, chunks.size()).boxed().toArray(Integer[]::new));
    }

    @Test
    void consecutive_chunks_overlap_by_about_the_overlap() {
        String text = LongText.paragraphs(20);

        List<Chunk> chunks = chunker.chunk(text, new ChunkPlan(100, 30, false), unlimited);

        for (int i = 1; i < chunks.size(); i++) {
            Chunk previous = chunks.get(i - 1);
            Chunk next = chunks.get(i);
            assertThat(next.startOffset()).isGreaterThan(previous.startOffset()).isLessThan(previous.endOffset());
            int repeated = chunker.countTokens(text.substring(next.startOffset(), previous.endOffset()));
            assertThat(repeated).isBetween(1, 40);
        }
    }

    @Test
    void a_sentence_longer_than_a_chunk_is_cut_between_words() {
        String sentence = "word ".repeat(500).strip() + ".";

        List<Chunk> chunks = chunker.chunk(sentence, new ChunkPlan(100, 0, false), unlimited);

        assertThat(chunks).hasSizeGreaterThanOrEqualTo(5).allSatisfy(chunk -> {
            assertThat(chunk.tokenCount()).isLessThanOrEqualTo(100);
            assertThat(chunk.text()).startsWith("word");
        });
    }
}
