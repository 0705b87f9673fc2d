package dev.ragline.llm.chat.provider;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiStreamingResponseBuilder;
import dev.langchain4j.model.openai.internal.OpenAiClient;
import dev.langchain4j.model.openai.internal.OpenAiUtils;
import dev.langchain4j.model.openai.internal.ResponseHandle;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionChoice;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import dev.langchain4j.model.openai.internal.chat.Tool;
import dev.langchain4j.model.openai.internal.shared.StreamOptions;
import dev.ragline.llm.tools.ToolCatalog;

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

    private static final StreamOptions INCLUDE_USAGE = StreamOptions.builder().includeUsage(true).build();
    /** The chat tools in OpenAI's form, converted once: every call offers all of them or none. */
    private static final List<Tool> TOOLS = OpenAiUtils.toTools(ToolCatalog.ALL, false);

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

    /**
     * Starts the stream, offering the model every chat tool or none; {@code text} receives each content delta as it
     * arrives (on an I/O thread). The request is what langchain4j's {@code OpenAiUtils.toOpenAiChatRequest} makes of
     * these messages, model, temperature and tools, with the tools converted once instead of on every call.
     */
    public Stream start(List<ChatMessage> messages, boolean offerTools, Consumer<String> text) {
        ChatCompletionRequest.Builder builder = ChatCompletionRequest.builder()
                .messages(OpenAiUtils.toOpenAiMessages(messages))
                .model(model)
                .temperature(temperature)
                .stream(true)
                .streamOptions(INCLUDE_USAGE);
        if (offerTools) {
            builder.tools(TOOLS);
        }
        ChatCompletionRequest request = builder.build();
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
