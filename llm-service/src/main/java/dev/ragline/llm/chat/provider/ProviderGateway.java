package dev.ragline.llm.chat.provider;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;

/**
 * One streamed model call behind a circuit breaker and a timeout: when the provider keeps failing, turns
 * fail fast with provider_unavailable instead of piling up. The timeout (overridable as
 * {@code dev.ragline.llm.chat.provider.ProviderGateway/stream/Timeout/value}) bounds a whole reply.
 */
@ApplicationScoped
public class ProviderGateway {

    /**
     * Starts the stream and hands it to {@code started} at once, so the caller can cancel it (client gone,
     * timeout) while the returned stage is still pending.
     */
    @AsynchronousNonBlocking
    @Timeout(60_000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 20_000, successThreshold = 1, skipOn = java.util.concurrent.CancellationException.class)
    public CompletionStage<ChatResponse> stream(OpenAiStream model, List<ChatMessage> messages, boolean offerTools,
            Consumer<String> text, Consumer<OpenAiStream.Stream> started) {
        OpenAiStream.Stream stream = model.start(messages, offerTools, text);
        started.accept(stream);
        return stream.reply();
    }
}
