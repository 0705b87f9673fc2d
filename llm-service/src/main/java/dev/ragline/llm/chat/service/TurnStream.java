package dev.ragline.llm.chat.service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.llm.chat.ChatEvent;
import dev.ragline.llm.chat.ChatTurn;
import dev.ragline.llm.chat.memory.ConversationMemory;
import dev.ragline.llm.chat.memory.MemoryMessage;
import dev.ragline.llm.chat.repository.ChatSessions;
import dev.ragline.llm.tools.ToolCall;
import dev.ragline.llm.tools.ToolExecution;
import dev.ragline.llm.tools.ToolOutcome;
import dev.ragline.llm.tools.events.ChatToolRelay;
import dev.ragline.llm.tools.service.ChatTools;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One turn's event stream: streams what the responder does, runs its tools within the per-turn cap,
 * and records the exchange in the session (PostgreSQL) and the chat memory (Redis). The customer's message is
 * stored while the responder already works on it; everything recorded later in the turn waits for it, so the
 * session's order holds, and the turn is not done until it is stored.
 */
final class TurnStream implements TurnSink {

    private final ChatTurn turn;
    private final MultiEmitter<? super ChatEvent> emitter;
    private final ChatTools tools;
    private final ChatToolRelay relay;
    private final ChatSessions sessions;
    private final ConversationMemory memory;
    private final ObjectMapper mapper;
    private final int maxToolCalls;
    private final long receivedAt;
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private int toolCalls;
    private long firstTokenAt = -1;
    private long modelNanosBeforeFirstToken;
    /** The turn's records in the session (PostgreSQL), each written after the one before it. */
    private CompletableFuture<Void> stored = CompletableFuture.completedFuture(null);
    /** The turn's messages in the chat memory (Redis), each appended after the one before it. */
    private CompletableFuture<Void> memorised = CompletableFuture.completedFuture(null);

    TurnStream(ChatTurn turn, MultiEmitter<? super ChatEvent> emitter, ChatTools tools, ChatToolRelay relay,
            ChatSessions sessions, ConversationMemory memory, ObjectMapper mapper, int maxToolCalls, long receivedAt) {
        this.turn = turn;
        this.emitter = emitter;
        this.tools = tools;
        this.relay = relay;
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
        memorise(MemoryMessage.assistant(text, calls));
    }

    /**
     * A tool runs only once everything the turn recorded before it is stored: a confirm must not place an order for a
     * message that could not be saved, and a failed record stops the turn before the next tool runs, so no tool's
     * event is left unrecorded behind it. The record of this call is not waited for here, only before the next tool
     * and before done, so the answer streams while it is written.
     */
    @Override
    public ToolOutcome runTool(ToolCall call) {
        checkNotCancelled();
        awaitStored(stored);
        emit(ChatEvent.TOOL_CALL, mapper.createObjectNode().put("id", call.id()).put("name", call.name())
                .set("arguments", call.arguments()));
        ToolExecution execution;
        if (toolBudgetSpent()) {
            execution = tools.refuse(turn, call, "The limit of " + maxToolCalls + " tool calls per turn is reached; "
                    + "answer with what you have.");
        } else {
            toolCalls++;
            execution = tools.execute(turn, call);
        }
        ToolOutcome outcome = execution.outcome();
        // Stored even if the client has gone meanwhile: the tool ran, and its event must not be lost.
        stored = stored.thenCompose(previous -> sessions
                .recordToolCall(turn.caller(), turn.sessionId(), turn.number(), call, outcome.result(),
                        execution.event())
                .subscribeAsCompletionStage());
        stored.thenRun(relay::nudge);
        memorise(MemoryMessage.toolResult(call, outcome.result().toString()));
        checkNotCancelled();
        ObjectNode result = mapper.createObjectNode().put("id", call.id()).put("name", call.name());
        result.set("result", outcome.result());
        result.put("outcome", outcome.outcome());
        emit(ChatEvent.TOOL_RESULT, result);
        return outcome;
    }

    @Override
    public void modelWorked(long nanos) {
        if (firstTokenAt < 0) {
            modelNanosBeforeFirstToken += nanos;
        }
    }

    @Override
    public boolean toolBudgetSpent() {
        return toolCalls >= maxToolCalls;
    }

    /**
     * Starts storing the customer's message (with the session itself when the turn opens it) in PostgreSQL and
     * in the chat memory, without waiting: the responder's work does not depend on it.
     */
    void startRecordingUserMessage(Optional<String> newSessionTitle) {
        Uni<Void> session = newSessionTitle
                .map(title -> sessions.openWithFirstMessage(turn.caller(), turn.sessionId(), title, turn.message()))
                .orElseGet(() -> sessions.recordUserMessage(turn.caller(), turn.sessionId(), turn.number(),
                        turn.message()));
        stored = session.subscribeAsCompletionStage();
        memorise(MemoryMessage.user(turn.message()));
    }

    /**
     * Records the answer once everything before it is stored, and waits for the chat memory: the turn is done only
     * when all of it is saved. A record that failed fails the turn: the customer must not believe it is in the
     * session.
     */
    void recordAnswer(String text) {
        awaitStored(stored);
        sessions.record(turn.caller(), turn.sessionId(), turn.number(), "assistant", text, null, null, null, null);
        memorise(MemoryMessage.assistant(text, null));
        awaitStored(memorised);
    }

    private void memorise(MemoryMessage message) {
        memorised = memorised.thenCompose(previous -> memory
                .appending(turn.caller().tenantId(), turn.sessionId(), message).subscribeAsCompletionStage());
    }

    private static void awaitStored(CompletableFuture<Void> store) {
        try {
            store.get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("The client went away");
        } catch (ExecutionException | TimeoutException e) {
            throw new ChatFailure("internal_error", "Your message could not be saved; please try again.",
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    long firstTokenMs() {
        return firstTokenAt < 0 ? -1 : (firstTokenAt - receivedAt) / 1_000_000;
    }

    /** Of the time to the first token, what the responder's model spent (see {@link #modelWorked}). */
    long firstTokenModelMs() {
        return firstTokenAt < 0 ? -1 : modelNanosBeforeFirstToken / 1_000_000;
    }

    JsonNode done(TurnReply reply) {
        ObjectNode done = mapper.createObjectNode().put("session_id", turn.sessionId().toString())
                .put("turn", turn.number());
        done.putObject("usage").put("input_tokens", reply.inputTokens()).put("output_tokens", reply.outputTokens())
                .put("total_tokens", reply.inputTokens() + reply.outputTokens()).put("tool_calls", toolCalls);
        if (firstTokenAt < 0) {
            done.putNull("first_token_ms");
            done.putNull("first_token_model_ms");
        } else {
            done.put("first_token_ms", firstTokenMs());
            done.put("first_token_model_ms", firstTokenModelMs());
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
            throw new CancellationException("The client went away");
        }
    }
}
