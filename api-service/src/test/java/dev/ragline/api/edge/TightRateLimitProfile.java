package dev.ragline.api.edge;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Five requests per tenant per minute, so a test can exceed the budget quickly. */
public class TightRateLimitProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ragline.rate-limit.requests-per-window", "5", "ragline.rate-limit.window", "PT60S");
    }
}
