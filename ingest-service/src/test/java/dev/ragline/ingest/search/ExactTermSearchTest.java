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
 * The failure a user notices at once: sixty short notes whose vectors lie closer to the query than the
 * one passage that says exactly what was asked, so close that the passage falls outside the vector
 * candidate list. Full text knows better, and hybrid search must listen. The notes' vectors are set
 * next to the query's (all-MiniLM itself keeps these notes far away; a weaker or remote model, or
 * notes on the same topic, need not); the passage's vector is the model's own.
 */
@QuarkusTest
class ExactTermSearchTest {

    private static final String QUERY = "zanzibar kitchen line ticket times expo station";
    private static final String PASSAGE = "On the zanzibar kitchen line, ticket times are called out at the expo station"
            + " so that every plate leaves together.";

    @Inject
    DocumentRepository documents;

    @Inject
    Embedder embedder;

    @Test
    void an_exact_unique_term_ranks_first_in_hybrid_mode_even_when_short_notes_are_nearer_vectors() {
        String tenant = Tokens.newTenant("exact-term");
        long collection = documents.ensureCollection(tenant, embedder.model(), embedder.dimension());
        float[] query = embedder.embed(List.of(QUERY)).vectors().get(0);
        Random random = new Random(14);
        List<EmbeddedChunk> notes = new ArrayList<>();
        for (int n = 1; n <= 60; n++) {
            String text = "Routine note number " + n + " about the dining room.";
            notes.add(new EmbeddedChunk(new Chunk(n - 1, text, 9, 0, text.length()), near(query, random)));
        }
        documents.replace(tenant, collection, "file_upload", null,
                new CleanDocument("notes.txt", "notes.txt", null, "notes", "hash-notes", Map.of()), notes);
        store(tenant, "kitchen.txt", List.of(PASSAGE));
        Rake rake = new Rake(Tokens.staffOf(tenant));

        assertThat(search(rake, QUERY, "vector").getList("results.text", String.class)).hasSize(10)
                .allMatch(text -> text.startsWith("Routine note number"));
        assertThat(search(rake, QUERY, "hybrid").getString("results[0].text")).isEqualTo(PASSAGE);
        assertThat(search(rake, "zanzibar", "hybrid").getString("results[0].text")).isEqualTo(PASSAGE);
        assertThat(search(rake, QUERY, "text").getList("results.text", String.class)).containsExactly(PASSAGE);
    }

    @Test
    void another_tenants_exact_match_is_never_found() {
        String owner = Tokens.newTenant("exact-owner");
        String other = Tokens.newTenant("exact-other");
        store(owner, "kitchen.txt", List.of(PASSAGE));
        store(other, "notes.txt", List.of("Routine note number 1 about the dining room."));
        Rake rake = new Rake(Tokens.staffOf(other));

        for (String mode : List.of("hybrid", "text", "vector")) {
            assertThat(search(rake, QUERY, mode).getList("results.text", String.class)).doesNotContain(PASSAGE);
        }
        assertThat(search(new Rake(Tokens.staffOf(owner)), QUERY, "text").getList("results.text", String.class))
                .containsExactly(PASSAGE);
    }

    /** A unit vector at cosine ~0.93 from the centre. */
    private static float[] near(float[] centre, Random random) {
        float[] vector = new float[centre.length];
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) (centre[i] + 0.02 * random.nextGaussian());
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    private static JsonPath search(Rake rake, String query, String mode) {
        return rake.request().contentType(ContentType.JSON)
                .body(Map.of("query", query, "top_k", 10, "mode", mode))
                .post("/api/v1/search").then().statusCode(200).extract().jsonPath();
    }

    /** Each text one chunk of one document, embedded by the service's own model. */
    private void store(String tenant, String sourceId, List<String> texts) {
        long collection = documents.ensureCollection(tenant, embedder.model(), embedder.dimension());
        List<float[]> vectors = embedder.embed(texts).vectors();
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            chunks.add(new EmbeddedChunk(new Chunk(i, text, 12, 0, text.length()), vectors.get(i)));
        }
        documents.replace(tenant, collection, "file_upload", null,
                new CleanDocument(sourceId, sourceId, null, String.join("\n\n", texts), "hash-" + sourceId, Map.of()),
                chunks);
    }
}
