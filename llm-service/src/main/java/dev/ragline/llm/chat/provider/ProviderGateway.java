package dev.ragline.llm.chat.provider;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;

/**
 * One streamed model call behind a circuit breaker and a timeout: when the provider keeps failing, turns
 * fail fast with provider_unavailable instead of piling up. The timeout (overridable as
 * {@code dev.ragline.llm.chat.provider.ProviderGateway/stream/Timeout/value}) bounds a whole reply.
 */
@ApplicationScoped
public class ProviderGateway {

    /** Receives text as it streams, and the handle that stops the stream when the client goes away. */
    public interface Listener {

        void text(String partial);

        void started(StreamingHandle handle);
    }

    @AsynchronousNonBlocking
    @Timeout(60_000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 20_000, successThreshold = 1, skipOn = java.util.concurrent.CancellationException.class)
    public CompletionStage<ChatResponse> stream(StreamingChatModel model, ChatRequest request, Listener listener) {
        CompletableFuture<ChatResponse> reply = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {

            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                listener.started(context.streamingHandle());
                if (context.streamingHandle().isCancelled()) {
                    return;
                }
                listener.text(partial.text());
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                reply.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                reply.completeExceptionally(error);
            }
        });
        return reply;
    }
}
