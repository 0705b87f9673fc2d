package dev.ragline.llm.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/** llm-service answering through the OpenAI-compatible provider path, against {@link ScriptedOpenAi}. */
public class ScriptedProviderProfile implements QuarkusTestProfile {

    /** Starts the scripted server in the test's class loader, where the tests script it. */
    public static class Server implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            return Map.of("ragline.llm.provider.base-url", ScriptedOpenAi.instance().baseUrl());
        }

        @Override
        public void stop() {
            // Lives as long as the test JVM.
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ragline.llm.provider.api-key", "sk-scripted",
                "ragline.llm.provider.model", "scripted-model",
                "ragline.llm.chat.max-tool-calls-per-turn", "2",
                "dev.ragline.llm.chat.provider.ProviderGateway/stream/Timeout/value", "3000",
                "dev.ragline.llm.chat.provider.ProviderGateway/stream/CircuitBreaker/requestVolumeThreshold", "1000");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Server.class));
    }
}
