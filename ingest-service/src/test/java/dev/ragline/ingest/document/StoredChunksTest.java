package dev.ragline.ingest.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.common.TenantDb;
import dev.ragline.ingest.document.repository.DocumentRepository;
import dev.ragline.ingest.document.repository.DocumentRepository.Replacement;
import dev.ragline.ingest.pipeline.Chunk;
import dev.ragline.ingest.pipeline.CleanDocument;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * STORE writes a group of documents and all their chunks in a few statements: each chunk must still land on
 * its own document with its own vector, text and offsets, and a new version must replace the old one whole.
 */
@QuarkusTest
class StoredChunksTest {

    private static final int DIMENSION = 384;

    @Inject
    DocumentRepository documents;

    @Inject
    TenantDb db;

    private final Random random = new Random(11);

    @Test
    void each_chunk_of_a_stored_group_keeps_its_document_vector_text_and_offsets() {
        String tenant = Tokens.newTenant("stored-chunks");
        long collection = documents.ensureCollection(tenant, "all-minilm-l6-v2-q", DIMENSION);
        List<Replacement> group = List.of(
                replacement("a.txt", "Title A", null, 3),
                replacement("b.txt", null, "https://example.com/b", 1),
                replacement("c.txt", "Title C", null, 5));

        Map<String, UUID> ids = documents.replaceAll(tenant, collection, "file_upload", null, group);

        assertThat(ids).containsOnlyKeys("a.txt", "b.txt", "c.txt");
        StoredDocument b = documents.find(tenant, ids.get("b.txt")).orElseThrow();
        assertThat(b.title()).isNull();
        assertThat(b.url()).isEqualTo("https://example.com/b");
        assertThat(b.chunkCount()).isEqualTo(1);
        assertThat(b.metadata().path("filename").asText()).isEqualTo("b.txt");
        for (Replacement replacement : group) {
            assertThat(stored(tenant, ids.get(replacement.document().sourceId())))
                    .as(replacement.document().sourceId()).containsExactlyElementsOf(replacement.chunks().stream()
                            .map(StoredChunksTest::describe).toList());
        }
    }

    @Test
    void a_new_version_in_a_later_group_replaces_all_the_chunks_of_the_old_one() {
        String tenant = Tokens.newTenant("stored-chunks");
        long collection = documents.ensureCollection(tenant, "all-minilm-l6-v2-q", DIMENSION);
        Map<String, UUID> first = documents.replaceAll(tenant, collection, "file_upload", null,
                List.of(replacement("a.txt", "Title A", null, 4), replacement("b.txt", "Title B", null, 2)));
        Replacement newA = replacement("a.txt", "Title A, second edition", null, 2);

        Map<String, UUID> second = documents.replaceAll(tenant, collection, "file_upload", null, List.of(newA));

        assertThat(second.get("a.txt")).isEqualTo(first.get("a.txt"));
        assertThat(stored(tenant, first.get("a.txt")))
                .containsExactlyElementsOf(newA.chunks().stream().map(StoredChunksTest::describe).toList());
        assertThat(stored(tenant, first.get("b.txt"))).hasSize(2);
    }

    private Replacement replacement(String sourceId, String title, String url, int chunkCount) {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int position = 0; position < chunkCount; position++) {
            float[] vector = new float[DIMENSION];
            for (int i = 0; i < DIMENSION; i++) {
                vector[i] = (float) random.nextGaussian();
            }
            String text = sourceId + " part " + position + " " + random.nextInt(1000);
            chunks.add(new EmbeddedChunk(new Chunk(position, text, 4 + position, position * 100, position * 100 + 90), vector));
        }
        return new Replacement(new CleanDocument(sourceId, title, url, "text of " + sourceId, "hash-" + random.nextLong(),
                Map.of("filename", sourceId)), chunks);
    }

    private static String describe(EmbeddedChunk chunk) {
        StringBuilder vector = new StringBuilder();
        for (float value : chunk.vector()) {
            vector.append(value).append(' ');
        }
        return chunk.chunk() + " " + vector.toString().trim();
    }

    /** The document's chunks as stored, in order, read back as the service's role under the tenant's rule. */
    private List<String> stored(String tenant, UUID documentId) {
        return db.awaitInTenant(tenant, connection -> connection
                .preparedQuery("SELECT position, text, token_count, start_offset, end_offset, embedding::real[] AS vector"
                        + " FROM chunks WHERE document_id = $1 ORDER BY position")
                .execute(Tuple.of(documentId))
                .map(rows -> {
                    List<String> chunks = new ArrayList<>();
                    for (Row row : rows) {
                        Float[] values = row.getArrayOfFloats("vector");
                        float[] vector = new float[values.length];
                        for (int i = 0; i < values.length; i++) {
                            vector[i] = values[i];
                        }
                        chunks.add(describe(new EmbeddedChunk(new Chunk(row.getInteger("position"), row.getString("text"),
                                row.getInteger("token_count"), row.getInteger("start_offset"), row.getInteger("end_offset")),
                                vector)));
                    }
                    return chunks;
                }));
    }
}
