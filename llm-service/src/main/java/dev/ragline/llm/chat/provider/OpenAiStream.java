package dev.ragline.llm.chat.provider;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingResponseBuilder;
import dev.langchain4j.model.openai.internal.OpenAiClient;
import dev.langchain4j.model.openai.internal.OpenAiUtils;
import dev.langchain4j.model.openai.internal.ResponseHandle;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionChoice;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import dev.langchain4j.model.openai.internal.shared.StreamOptions;

/**
 * Streams one chat completion from an OpenAI-compatible endpoint through quarkus-langchain4j's OpenAI client
 * (its REST client and SSE parsing) and langchain4j's request mapping and reply assembly (text, tool calls
 * split across chunks, usage, finish reason), keeping the client's response handle. OpenAiStreamingChatModel
 * drops that handle and hands out a no-op StreamingHandle in quarkus-langchain4j 1.10, so a stream the chat
 * no longer needs would be read to its end; {@link Stream#cancel()} closes the provider's HTTP stream.
 */
public class OpenAiStream {

    /** A started completion: {@code reply} completes with the assembled answer; cancel stops the stream. */
    public record Stream(CompletableFuture<ChatResponse> reply, ResponseHandle handle) {

        public void cancel() {
            handle.cancel();
        }
    }

    private final OpenAiClient client;
    private final String model;
    private final double temperature;

    public OpenAiStream(String baseUrl, String apiKey, String model, double temperature, Duration timeout) {
        this.client = OpenAiClient.builder().baseUrl(baseUrl).apiKey(apiKey).connectTimeout(timeout)
                .readTimeout(timeout).build();
        this.model = model;
        this.temperature = temperature;
    }

    public String model() {
        return model;
    }

    /** Starts the stream; {@code text} receives each content delta as it arrives (on an I/O thread). */
    public Stream start(List<ChatMessage> messages, List<ToolSpecification> tools, Consumer<String> text) {
        OpenAiChatRequestParameters.Builder parameters = OpenAiChatRequestParameters.builder().modelName(model)
                .temperature(temperature);
        if (!tools.isEmpty()) {
            parameters.toolSpecifications(tools);
        }
        OpenAiChatRequestParameters built = parameters.build();
        ChatCompletionRequest request = OpenAiUtils.toOpenAiChatRequest(
                ChatRequest.builder().messages(messages).parameters(built).build(), built, false, false)
                .stream(true)
                .streamOptions(StreamOptions.builder().includeUsage(true).build())
                .build();
        CompletableFuture<ChatResponse> reply = new CompletableFuture<>();
        OpenAiStreamingResponseBuilder answer = new OpenAiStreamingResponseBuilder();
        ResponseHandle handle = client.chatCompletion(request)
                .onPartialResponse(chunk -> {
                    answer.append(chunk);
                    String delta = contentOf(chunk);
                    if (delta != null && !delta.isEmpty() && !reply.isDone()) {
                        text.accept(delta);
                    }
                })
                .onComplete(() -> reply.complete(answer.build()))
                .onError(reply::completeExceptionally)
                .execute();
        return new Stream(reply, handle);
    }

    /** The text of a chunk; usage chunks come with empty or null choices. */
    private static String contentOf(ChatCompletionResponse chunk) {
        List<ChatCompletionChoice> choices = chunk.choices();
        if (choices == null || choices.isEmpty() || choices.get(0).delta() == null) {
            return null;
        }
        return choices.get(0).delta().content();
    }
}
