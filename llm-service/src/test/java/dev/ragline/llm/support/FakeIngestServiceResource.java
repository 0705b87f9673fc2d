package dev.ragline.llm.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points search_documents at the {@link FakeIngestService} of the test JVM. */
public class FakeIngestServiceResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("ragline.llm.documents.base-url", FakeIngestService.instance().baseUrl());
    }

    @Override
    public void stop() {
        // The server lives as long as the test JVM: several Quarkus test profiles reuse it.
    }
}
