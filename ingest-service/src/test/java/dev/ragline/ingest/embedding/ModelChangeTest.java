package dev.ragline.ingest.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.document.EmbeddedChunk;
import dev.ragline.ingest.document.repository.DocumentRepository;
import dev.ragline.ingest.pipeline.Chunk;
import dev.ragline.ingest.pipeline.CleanDocument;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The service configured for an OpenAI-compatible endpoint: the pipeline embeds through it (riding out
 * its rate limit), accounts tokens and cost, and writes to a new collection instead of mixing its
 * 8-dimensional vectors with the 384-dimensional ones the tenant stored with the in-process model.
 */
@QuarkusTest
@TestProfile(OpenAiEmbeddingsProfile.class)
class ModelChangeTest {

    @Inject
    DocumentRepository documents;

    @Test
    void a_new_embedding_model_gets_its_own_collection_and_search_uses_it() {
        String tenant = Tokens.newTenant("model-change");
        Rake rake = new Rake(Tokens.staffOf(tenant));
        storedWithThePreviousModel(tenant);

        String jobId = rake.uploadText("care.txt", "Descale the copper kettle every month with white vinegar.");
        JsonPath job = rake.awaitCompleted(jobId);

        long tokens = job.getLong("tokens_embedded");
        assertThat(tokens).isPositive(); // as the endpoint's usage reported them
        assertThat(job.getDouble("cost_usd")).isEqualTo(tokens * 1000 / 1e6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(FakeOpenAiEmbeddings.CALLS.get()).isGreaterThanOrEqualTo(2); // the 429, then the retry

        JsonPath listed = rake.documents();
        assertThat(listed.getList("items.collection", String.class)).containsExactlyInAnyOrder(
                tenant + "_documents__all_minilm_l6_v2_q_384", tenant + "_documents__text_embedding_3_small_8");
        assertThat(listed.getList("items.dimension", Integer.class)).containsExactlyInAnyOrder(384, 8);

        JsonPath found = rake.search("how to descale the kettle", "vector");
        assertThat(found.getList("results.source_id")).containsExactly("care.txt");
    }

    private void storedWithThePreviousModel(String tenant) {
        long previous = documents.ensureCollection(tenant, "all-minilm-l6-v2-q", 384);
        float[] vector = new float[384];
        vector[0] = 1;
        documents.replace(tenant, previous, "file_upload", null,
                new CleanDocument("care.txt", "care.txt", null, "Old care text.", "old-hash", Map.of()),
                List.of(new EmbeddedChunk(new Chunk(0, "Old care text.", 3, 0, 14), vector)));
    }
}
