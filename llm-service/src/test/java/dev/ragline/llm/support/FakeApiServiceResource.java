package dev.ragline.llm.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points llm-service's api-service client at the {@link FakeApiService} of the test JVM. */
public class FakeApiServiceResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.rest-client.api-service.url", FakeApiService.instance().baseUrl());
    }

    @Override
    public void stop() {
        // The server lives as long as the test JVM: several Quarkus test profiles reuse it.
    }
}
