package dev.ragline.ingest.source.edgar;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.common.ProblemException;

class SecEdgarUserAgentTest {

    @Test
    void without_a_configured_user_agent_the_source_refuses_jobs_with_503() {
        IngestConfig.Edgar edgar = (IngestConfig.Edgar) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { IngestConfig.Edgar.class }, (proxy, method, args) -> method.getName().equals("userAgent")
                        ? Optional.empty()
                        : null);
        IngestConfig config = (IngestConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { IngestConfig.class }, (proxy, method, args) -> method.getName().equals("edgar") ? edgar
                        : null);
        SecEdgarSource source = new SecEdgarSource(null, null, new ObjectMapper(), config);
        var params = new ObjectMapper().createObjectNode().put("ticker", "AAPL");

        assertThatThrownBy(() -> source.validate(params)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("rake.edgar.user-agent")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ProblemException) e).status()).isEqualTo(503));
    }
}
