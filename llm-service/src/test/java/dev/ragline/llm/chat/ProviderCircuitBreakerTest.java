package dev.ragline.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ragline.llm.support.RestaurantChat;
import dev.ragline.llm.support.ScriptedOpenAi;
import dev.ragline.llm.support.ScriptedProviderProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A provider that keeps failing is no longer called for a while: turns fail fast instead. */
@QuarkusTest
@TestProfile(ProviderCircuitBreakerTest.FragileProvider.class)
class ProviderCircuitBreakerTest extends RestaurantChat {

    public static class FragileProvider extends ScriptedProviderProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("dev.ragline.llm.chat.provider.ProviderGateway/stream/CircuitBreaker/requestVolumeThreshold",
                    "2");
            overrides.put("dev.ragline.llm.chat.provider.ProviderGateway/stream/CircuitBreaker/delay", "60000");
            return overrides;
        }
    }

    @Test
    void after_repeated_provider_failures_the_circuit_opens_and_the_provider_is_spared() {
        ScriptedOpenAi provider = ScriptedOpenAi.instance();
        provider.reset();

        assertThat(chat.send(customer.token(), null, "Hello?").last().data().path("type").asText())
                .isEqualTo("provider_error");
        assertThat(chat.send(customer.token(), null, "Hello?").last().data().path("type").asText())
                .isEqualTo("provider_error");
        assertThat(chat.send(customer.token(), null, "Hello?").last().data().path("type").asText())
                .isEqualTo("provider_unavailable");
        assertThat(provider.requests()).hasSize(2);
    }
}
