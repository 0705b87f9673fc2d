package dev.ragline.llm.chat.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.ragline.llm.chat.ChatTurn;
import dev.ragline.llm.chat.memory.MemoryMessage;
import dev.ragline.llm.chat.service.ChatFailure;
import dev.ragline.llm.chat.service.ChatResponder;
import dev.ragline.llm.chat.service.TurnReply;
import dev.ragline.llm.chat.service.TurnSink;
import dev.ragline.llm.tools.ToolCall;
import dev.ragline.llm.tools.ToolOutcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * Answers with an OpenAI-compatible model through quarkus-langchain4j's streaming client: streams its
 * text, runs the tools it asks for (all of them when it asks for several at once) and calls it again
 * with the results, until it answers in words.
 */
public class ProviderResponder implements ChatResponder {

    static final String SYSTEM_PROMPT = """
            You are the ordering assistant of a restaurant. Answer briefly, in the customer's language.
            Find dishes only with retrieve_menu and never invent dishes, prices or product ids.
            For allergens, ingredients and policies use search_documents, answer only from the passages it
            returns and cite the document (title and source); if the documents are unavailable, say so.
            To order: call apply_promos with the product ids and quantities (and the customer's promo code),
            summarise the priced cart, and ask the customer to confirm. Call confirm only after the customer
            explicitly confirmed that summary in a later message.""";

    private final OpenAiStream model;
    private final ProviderGateway gateway;
    private final ObjectMapper mapper;
    private final Tracer tracer;

    public ProviderResponder(OpenAiStream model, ProviderGateway gateway, ObjectMapper mapper, Tracer tracer) {
        this.model = model;
        this.gateway = gateway;
        this.mapper = mapper;
        this.tracer = tracer;
    }

    @Override
    public String name() {
        return "provider";
    }

    @Override
    public TurnReply respond(ChatTurn turn, List<MemoryMessage> history, TurnSink sink) throws Exception {
        List<dev.langchain4j.data.message.ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(SYSTEM_PROMPT));
        history.forEach(message -> messages.add(toModel(message)));
        messages.add(UserMessage.from(turn.message()));
        long input = 0;
        long output = 0;
        while (true) {
            ChatResponse response = call(turn, List.copyOf(messages), !sink.toolBudgetSpent(), sink);
            TokenUsage usage = response.tokenUsage();
            if (usage != null) {
                input += usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
                output += usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
            }
            AiMessage answer = response.aiMessage();
            if (!answer.hasToolExecutionRequests()) {
                return new TurnReply(answer.text() == null ? "" : answer.text(), input, output);
            }
            messages.add(answer);
            List<ToolCall> calls = answer.toolExecutionRequests().stream().map(this::toToolCall).toList();
            sink.toolCallsDecided(answer.text(), calls);
            for (int i = 0; i < calls.size(); i++) {
                ToolOutcome outcome = sink.runTool(calls.get(i));
                messages.add(ToolExecutionResultMessage.from(answer.toolExecutionRequests().get(i),
                        outcome.result().toString()));
            }
        }
    }

    /**
     * One streamed model call. Unless it completes normally, the provider's HTTP stream is cancelled: when the
     * client went away (the turn's thread is interrupted), on a timeout and on a failure, so nothing keeps
     * reading a reply nobody will see.
     */
    private ChatResponse call(ChatTurn turn, List<dev.langchain4j.data.message.ChatMessage> messages,
            boolean offerTools, TurnSink sink) throws InterruptedException {
        Span span = tracer.spanBuilder("model " + model.model())
                .setAttribute("ragline.tenant_id", turn.caller().tenantId().toString())
                .setAttribute("ragline.chat.session_id", turn.sessionId().toString())
                .setAttribute("gen_ai.request.model", model.model())
                .startSpan();
        AtomicReference<OpenAiStream.Stream> stream = new AtomicReference<>();
        CompletableFuture<ChatResponse> reply = null;
        boolean completed = false;
        ModelClock clock = new ModelClock(sink);
        try (Scope ignored = span.makeCurrent()) {
            reply = gateway.stream(model, messages, offerTools, text -> {
                clock.stop();
                sink.token(text);
            }, stream::set).toCompletableFuture();
            ChatResponse response = reply.get();
            clock.stop();
            completed = true;
            if (response.finishReason() == null) {
                // quarkus-langchain4j ends the stream quietly when the provider sends an error object
                // mid-stream or the connection drops: a reply without a finish reason is truncated.
                throw new ChatFailure("provider_error", "The model provider's reply ended before it was complete.",
                        null);
            }
            if (response.tokenUsage() != null && response.tokenUsage().outputTokenCount() != null) {
                span.setAttribute("gen_ai.usage.output_tokens", response.tokenUsage().outputTokenCount());
            }
            return response;
        } catch (InterruptedException e) {
            span.setAttribute("ragline.chat.cancelled", true);
            throw e;
        } catch (ExecutionException e) {
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getCause()));
            throw failure(e.getCause());
        } finally {
            if (!completed) {
                OpenAiStream.Stream started = stream.get();
                if (started != null) {
                    started.cancel();
                }
                if (reply != null) {
                    reply.cancel(true);
                }
            }
            span.end();
        }
    }

    /**
     * The model's time in a call: from the request to its first text (stopped on the I/O thread before that token
     * is emitted), or to its whole reply when it only asks for tools. It includes the client's own sending, so the
     * service's added time is, if anything, under-counted. The I/O thread's calls all happen before the reply
     * completes and the turn's thread calls after it, so they never overlap.
     */
    private static final class ModelClock {

        private final TurnSink sink;
        private final long started = System.nanoTime();
        private boolean stopped;

        ModelClock(TurnSink sink) {
            this.sink = sink;
        }

        void stop() {
            if (!stopped) {
                stopped = true;
                sink.modelWorked(System.nanoTime() - started);
            }
        }
    }

    private static ChatFailure failure(Throwable cause) {
        if (cause instanceof CircuitBreakerOpenException) {
            return new ChatFailure("provider_unavailable",
                    "The model provider is failing; the assistant is paused for a moment.", cause);
        }
        if (cause instanceof TimeoutException
                || cause instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException) {
            return new ChatFailure("provider_timeout", "The model provider did not answer in time.", cause);
        }
        return new ChatFailure("provider_error", "The model provider failed: " + cause.getMessage(), cause);
    }

    private ToolCall toToolCall(ToolExecutionRequest request) {
        JsonNode arguments;
        try {
            arguments = request.arguments() == null || request.arguments().isBlank() ? mapper.createObjectNode()
                    : mapper.readTree(request.arguments());
        } catch (JsonProcessingException e) {
            arguments = mapper.createObjectNode().put("unparsable_arguments", request.arguments());
        }
        return new ToolCall(request.id(), request.name(), arguments);
    }

    private static dev.langchain4j.data.message.ChatMessage toModel(MemoryMessage message) {
        return switch (message.role()) {
            case "user" -> UserMessage.from(message.content());
            case "tool" -> ToolExecutionResultMessage.from(message.toolCallId(), message.toolName(), message.content());
            default -> message.toolCalls() == null ? AiMessage.from(message.content() == null ? "" : message.content())
                    : AiMessage.builder().text(message.content()).toolExecutionRequests(message.toolCalls().stream()
                            .map(call -> ToolExecutionRequest.builder().id(call.id()).name(call.name())
                                    .arguments(call.arguments().toString()).build())
                            .toList()).build();
        };
    }
}
