package dev.ragline.ingest.embedding;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The service embedding through its OpenAI-compatible client against {@link FakeOpenAiEmbeddings}; one
 * profile for every test that needs it, so Quarkus starts that application once for all of them.
 */
public class OpenAiEmbeddingsProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeOpenAiEmbeddings.class));
    }
}
