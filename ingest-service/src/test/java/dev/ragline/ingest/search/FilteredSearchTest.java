package dev.ragline.ingest.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.document.EmbeddedChunk;
import dev.ragline.ingest.document.repository.DocumentRepository;
import dev.ragline.ingest.embedding.Embedder;
import dev.ragline.ingest.pipeline.Chunk;
import dev.ragline.ingest.pipeline.CleanDocument;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A filter that discards the nearest chunks must not shorten the answer. Whether the planner ranks the filtered
 * chunks exactly or scans the collection's HNSW index (pgvector's iterative scan goes on until top_k chunks pass
 * the filter) depends on its statistics; either way the answer has top_k chunks. The plan at 100k chunks is in
 * the search benchmark.
 */
@QuarkusTest
class FilteredSearchTest {

    private static final String QUERY = "how long does a refund for a damaged kettle take";

    @Inject
    DocumentRepository documents;

    @Inject
    Embedder embedder;

    @Test
    void a_source_filter_still_returns_top_k_when_other_sources_hold_all_the_nearest_chunks() {
        String tenant = Tokens.newTenant("filtered");
        long collection = documents.ensureCollection(tenant, embedder.model(), embedder.dimension());
        float[] query = embedder.embed(List.of(QUERY)).vectors().get(0);
        Random random = new Random(3);
        // 1,500 chunks from uploads right next to the query, 1,200 scraped ones all further away.
        for (int d = 0; d < 5; d++) {
            store(tenant, collection, "file_upload", "upload-" + d, chunksAround(query, 300, 0.01, random));
            store(tenant, collection, "url_scrape", "https://example.com/kettles/" + d,
                    chunksAround(query, 240, 0.08, random));
        }
        Rake rake = new Rake(Tokens.staffOf(tenant));

        JsonPath found = rake.request().contentType(ContentType.JSON)
                .body(Map.of("query", QUERY, "top_k", 10, "mode", "vector", "filters", Map.of("source", "url_scrape")))
                .post("/api/v1/search").then().statusCode(200).extract().jsonPath();

        assertThat(found.getList("results.source", String.class)).hasSize(10).containsOnly("url_scrape");
    }

    private List<EmbeddedChunk> chunksAround(float[] centre, int count, double noise, Random random) {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            float[] vector = new float[centre.length];
            double norm = 0;
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) (centre[i] + noise * random.nextGaussian());
                norm += vector[i] * vector[i];
            }
            for (int i = 0; i < vector.length; i++) {
                vector[i] /= (float) Math.sqrt(norm);
            }
            String text = "Kettle refunds, note " + n;
            chunks.add(new EmbeddedChunk(new Chunk(n, text, 5, 0, text.length()), vector));
        }
        return chunks;
    }

    private void store(String tenant, long collection, String source, String sourceId, List<EmbeddedChunk> chunks) {
        documents.replace(tenant, collection, source, null,
                new CleanDocument(sourceId, sourceId, null, "text", "hash-" + sourceId, Map.of()), chunks);
    }
}
