package dev.ragline.llm.chat.service;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.llm.chat.ChatEvent;
import dev.ragline.llm.chat.ChatTurn;
import dev.ragline.llm.chat.memory.ConversationMemory;
import dev.ragline.llm.chat.memory.MemoryMessage;
import dev.ragline.llm.chat.repository.ChatSessions;
import dev.ragline.llm.tools.ToolCall;
import dev.ragline.llm.tools.ToolOutcome;
import dev.ragline.llm.tools.service.ChatTools;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One turn's event stream: streams what the responder does, runs its tools within the per-turn cap,
 * and records the exchange in the session (PostgreSQL) and the chat memory (Redis).
 */
final class TurnStream implements TurnSink {

    private final ChatTurn turn;
    private final MultiEmitter<? super ChatEvent> emitter;
    private final ChatTools tools;
    private final ChatSessions sessions;
    private final ConversationMemory memory;
    private final ObjectMapper mapper;
    private final int maxToolCalls;
    private final long receivedAt;
    private int toolCalls;
    private long firstTokenAt = -1;

    TurnStream(ChatTurn turn, MultiEmitter<? super ChatEvent> emitter, ChatTools tools, ChatSessions sessions,
            ConversationMemory memory, ObjectMapper mapper, int maxToolCalls, long receivedAt) {
        this.turn = turn;
        this.emitter = emitter;
        this.tools = tools;
        this.sessions = sessions;
        this.memory = memory;
        this.mapper = mapper;
        this.maxToolCalls = maxToolCalls;
        this.receivedAt = receivedAt;
    }

    @Override
    public void token(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        if (firstTokenAt < 0) {
            firstTokenAt = System.nanoTime();
        }
        emit(ChatEvent.TOKEN, mapper.createObjectNode().put("text", text));
    }

    @Override
    public void toolCallsDecided(String text, List<ToolCall> calls) {
        memory.append(turn.caller().tenantId(), turn.sessionId(), MemoryMessage.assistant(text, calls));
    }

    @Override
    public ToolOutcome runTool(ToolCall call) {
        checkNotCancelled();
        emit(ChatEvent.TOOL_CALL, mapper.createObjectNode().put("id", call.id()).put("name", call.name())
                .set("arguments", call.arguments()));
        ToolOutcome outcome;
        if (toolBudgetSpent()) {
            outcome = tools.refuse(turn, call, "The limit of " + maxToolCalls + " tool calls per turn is reached; "
                    + "answer with what you have.");
        } else {
            toolCalls++;
            outcome = tools.execute(turn, call);
        }
        checkNotCancelled();
        ObjectNode result = mapper.createObjectNode().put("id", call.id()).put("name", call.name());
        result.set("result", outcome.result());
        result.put("outcome", outcome.outcome());
        emit(ChatEvent.TOOL_RESULT, result);
        sessions.record(turn.caller(), turn.sessionId(), turn.number(), "tool", null, call.id(), call.name(),
                call.arguments(), outcome.result());
        memory.append(turn.caller().tenantId(), turn.sessionId(),
                MemoryMessage.toolResult(call, outcome.result().toString()));
        return outcome;
    }

    @Override
    public boolean toolBudgetSpent() {
        return toolCalls >= maxToolCalls;
    }

    void recordUserMessage() {
        sessions.record(turn.caller(), turn.sessionId(), turn.number(), "user", turn.message(), null, null, null, null);
        memory.append(turn.caller().tenantId(), turn.sessionId(), MemoryMessage.user(turn.message()));
    }

    void recordAnswer(String text) {
        sessions.record(turn.caller(), turn.sessionId(), turn.number(), "assistant", text, null, null, null, null);
        memory.append(turn.caller().tenantId(), turn.sessionId(), MemoryMessage.assistant(text, null));
    }

    long firstTokenMs() {
        return firstTokenAt < 0 ? -1 : (firstTokenAt - receivedAt) / 1_000_000;
    }

    JsonNode done(TurnReply reply) {
        ObjectNode done = mapper.createObjectNode().put("session_id", turn.sessionId().toString())
                .put("turn", turn.number());
        done.putObject("usage").put("input_tokens", reply.inputTokens()).put("output_tokens", reply.outputTokens())
                .put("total_tokens", reply.inputTokens() + reply.outputTokens()).put("tool_calls", toolCalls);
        if (firstTokenAt < 0) {
            done.putNull("first_token_ms");
        } else {
            done.put("first_token_ms", firstTokenMs());
        }
        return done;
    }

    void emit(String type, JsonNode data) {
        if (!emitter.isCancelled()) {
            emitter.emit(new ChatEvent(type, data));
        }
    }

    void fail(String type, String message) {
        emit(ChatEvent.ERROR, mapper.createObjectNode().put("type", type).put("message", message));
        emitter.complete();
    }

    void complete() {
        emitter.complete();
    }

    boolean cancelled() {
        return emitter.isCancelled();
    }

    private void checkNotCancelled() {
        if (emitter.isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException("The client went away");
        }
    }
}
