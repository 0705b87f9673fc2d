package dev.ragline.llm.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** llm-service answering through the OpenAI-compatible provider path, against {@link ScriptedOpenAi}. */
public class ScriptedProviderProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ragline.llm.provider.base-url", ScriptedOpenAi.instance().baseUrl(),
                "ragline.llm.provider.api-key", "sk-scripted",
                "ragline.llm.provider.model", "scripted-model",
                "ragline.llm.chat.max-tool-calls-per-turn", "2",
                "quarkus.rest-client.api-service.url", FakeApiService.instance().baseUrl(),
                "dev.ragline.llm.chat.provider.ProviderGateway/stream/Timeout/value", "3000",
                "dev.ragline.llm.chat.provider.ProviderGateway/stream/CircuitBreaker/requestVolumeThreshold", "1000");
    }
}
