package dev.ragline.api.catalog;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Points the service at a port where no Redis listens, as if Redis had gone down. */
public class RedisOutageProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1",
                "quarkus.redis.health.enabled", "false");
    }
}
