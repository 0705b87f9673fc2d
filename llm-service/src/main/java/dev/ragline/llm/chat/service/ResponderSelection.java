package dev.ragline.llm.chat.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.llm.chat.offline.OfflineResponder;
import dev.ragline.llm.chat.offline.ToolChooser;
import dev.ragline.llm.chat.provider.OpenAiStream;
import dev.ragline.llm.chat.provider.ProviderGateway;
import dev.ragline.llm.chat.provider.ProviderResponder;
import dev.ragline.llm.common.LlmConfig;
import dev.ragline.llm.tools.service.ChatTools;
import io.opentelemetry.api.trace.Tracer;

/**
 * The provider model when OPENAI_API_BASE is set, the offline responder otherwise. The model is built
 * here, only when configured, on quarkus-langchain4j's OpenAI client (its REST client and streaming
 * parser), so a missing key never stops the service from starting.
 */
@ApplicationScoped
public class ResponderSelection {

    private static final Logger LOG = Logger.getLogger(ResponderSelection.class);

    @Produces
    @ApplicationScoped
    ChatResponder responder(LlmConfig config, ToolChooser chooser, ChatTools tools, ProviderGateway gateway,
            ObjectMapper mapper, Tracer tracer) {
        LlmConfig.Provider provider = config.provider();
        if (provider.baseUrl().isEmpty()) {
            LOG.info("No OPENAI_API_BASE: chat answers come from the offline demo responder (not a language model)");
            return new OfflineResponder(chooser, tools, mapper);
        }
        LOG.infof("Chat answers come from model %s at %s", provider.model(), provider.baseUrl().get());
        OpenAiStream model = new OpenAiStream(provider.baseUrl().get(), provider.apiKey().orElse("not-needed"),
                provider.model(), provider.temperature(), provider.timeout());
        return new ProviderResponder(model, gateway, mapper, tracer);
    }
}
