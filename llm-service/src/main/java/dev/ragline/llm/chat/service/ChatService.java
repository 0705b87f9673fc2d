package dev.ragline.llm.chat.service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.llm.chat.ChatEvent;
import dev.ragline.llm.chat.ChatSession;
import dev.ragline.llm.chat.ChatTurn;
import dev.ragline.llm.chat.memory.ConversationMemory;
import dev.ragline.llm.chat.memory.MemoryMessage;
import dev.ragline.llm.chat.repository.ChatSessions;
import dev.ragline.llm.common.Caller;
import dev.ragline.llm.common.LlmConfig;
import dev.ragline.llm.common.NotFound;
import dev.ragline.llm.tools.events.ChatToolRelay;
import dev.ragline.llm.tools.service.ChatTools;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Multi;

/**
 * Runs chat turns: resolves the caller's session, then streams the responder's work as events. Each turn
 * runs on its own virtual thread; when the client goes away the thread is interrupted, which cancels the
 * pending model stream and tool calls.
 */
@ApplicationScoped
public class ChatService {

    private static final Logger LOG = Logger.getLogger(ChatService.class);
    public static final int MAX_MESSAGE_LENGTH = 4000;

    private final ChatSessions sessions;
    private final ConversationMemory memory;
    private final ChatTools tools;
    private final ChatToolRelay relay;
    private final ChatResponder responder;
    private final LlmConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final Tracer tracer;
    private final DistributionSummary firstToken;
    private final DistributionSummary firstTokenAdded;
    private final ExecutorService turns = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("chat-turn-", 0).factory());

    ChatService(ChatSessions sessions, ConversationMemory memory, ChatTools tools, ChatToolRelay relay,
            ChatResponder responder, LlmConfig config, ObjectMapper mapper, MeterRegistry meters, Tracer tracer) {
        this.sessions = sessions;
        this.memory = memory;
        this.tools = tools;
        this.relay = relay;
        this.responder = responder;
        this.config = config;
        this.mapper = mapper;
        this.meters = meters;
        this.tracer = tracer;
        this.firstToken = DistributionSummary.builder("ragline_llm_first_token_ms")
                .description("Time from receiving a chat message to streaming its first token")
                .publishPercentiles(0.5, 0.95)
                .register(meters);
        this.firstTokenAdded = DistributionSummary.builder("ragline_llm_first_token_added_ms")
                .description("Of the time to the first token, what the service added to its model's own time")
                .publishPercentiles(0.5, 0.95)
                .register(meters);
    }

    /** A started turn: its session and number are known before the first event is streamed. */
    public record Started(UUID sessionId, int turn, Multi<ChatEvent> events) {
    }

    /** Must be called on a thread that may block (a worker or virtual thread). */
    public Started start(Caller caller, Optional<UUID> requestedSession, String message) {
        long receivedAt = System.nanoTime();
        UUID sessionId = requestedSession.orElseGet(UUID::randomUUID);
        // A new session is stored with the first message, while the responder works; only a follow-up turn
        // needs the database before streaming, to refuse a session that is not the caller's.
        int number = requestedSession.isEmpty() ? 1
                : sessions.nextTurn(caller, sessionId).orElseThrow(() -> new NotFound("chat session", sessionId));
        Optional<String> newSessionTitle = requestedSession.isEmpty() ? Optional.of(titleOf(message))
                : Optional.empty();
        ChatTurn turn = new ChatTurn(caller, sessionId, number, message);
        // The turn runs on its own virtual thread, after the request's context is gone: it takes the request's
        // trace with it, so the turn's, model's and tools' spans (and the tools' calls) join the caller's trace.
        io.opentelemetry.context.Context request = io.opentelemetry.context.Context.current();
        Multi<ChatEvent> events = Multi.createFrom().emitter(emitter -> {
            TurnStream stream = new TurnStream(turn, emitter, tools, relay, sessions, memory, mapper,
                    config.chat().maxToolCallsPerTurn(), receivedAt);
            stream.emit(ChatEvent.SESSION, mapper.createObjectNode().put("session_id", sessionId.toString())
                    .put("turn", number));
            Future<?> work = turns.submit(request.wrap(() -> run(turn, newSessionTitle, stream)));
            emitter.onTermination(() -> work.cancel(true));
        });
        return new Started(sessionId, number, events);
    }

    public List<ChatSession> sessions(Caller caller) {
        return sessions.list(caller, 100);
    }

    public ChatSession session(Caller caller, UUID sessionId) {
        return sessions.find(caller, sessionId).orElseThrow(() -> new NotFound("chat session", sessionId));
    }

    public List<dev.ragline.llm.chat.ChatMessage> messages(Caller caller, UUID sessionId) {
        session(caller, sessionId);
        return sessions.messages(caller, sessionId);
    }

    public void delete(Caller caller, UUID sessionId) {
        if (!sessions.delete(caller, sessionId)) {
            throw new NotFound("chat session", sessionId);
        }
        memory.forget(caller.tenantId(), sessionId);
    }

    private void run(ChatTurn turn, Optional<String> newSessionTitle, TurnStream stream) {
        Span span = tracer.spanBuilder("chat turn")
                .setAttribute("ragline.tenant_id", turn.caller().tenantId().toString())
                .setAttribute("ragline.chat.session_id", turn.sessionId().toString())
                .setAttribute("ragline.chat.turn", turn.number())
                .setAttribute("ragline.llm.responder", responder.name())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            // A session this turn opens has nothing in memory yet: its id was generated a moment ago.
            List<MemoryMessage> history = newSessionTitle.isPresent() ? List.of()
                    : memory.window(turn.caller().tenantId(), turn.sessionId());
            stream.startRecordingUserMessage(newSessionTitle);
            TurnReply reply = responder.respond(turn, history, stream);
            stream.recordAnswer(reply.text());
            stream.emit(ChatEvent.DONE, stream.done(reply));
            if (stream.firstTokenMs() >= 0) {
                firstToken.record(stream.firstTokenMs());
                firstTokenAdded.record(Math.max(0, stream.firstTokenMs() - stream.firstTokenModelMs()));
            }
            meters.counter("ragline_llm_tokens", "direction", "input", "responder", responder.name())
                    .increment(reply.inputTokens());
            meters.counter("ragline_llm_tokens", "direction", "output", "responder", responder.name())
                    .increment(reply.outputTokens());
            stream.complete();
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            Thread.currentThread().interrupt();
            span.setAttribute("ragline.chat.cancelled", true);
            if (!stream.cancelled()) {
                LOG.errorf(e, "Turn %d of session %s was interrupted while its client still listens", turn.number(),
                        turn.sessionId());
                stream.fail("internal_error", "The assistant was interrupted; please try again.");
            }
        } catch (ChatFailure e) {
            LOG.warnf(e.getCause(), "Turn %d of session %s failed: %s", turn.number(), turn.sessionId(), e.type());
            span.setStatus(StatusCode.ERROR, e.getMessage());
            stream.fail(e.type(), e.getMessage());
        } catch (Exception | Error e) {
            if (stream.cancelled()) {
                LOG.debugf("Turn %d of session %s ended after the client went away", turn.number(), turn.sessionId());
            } else {
                LOG.errorf(e, "Turn %d of session %s failed", turn.number(), turn.sessionId());
                span.setStatus(StatusCode.ERROR, e.toString());
                stream.fail("internal_error", "The assistant could not answer; please try again.");
            }
        } finally {
            span.end();
        }
    }

    private static String titleOf(String message) {
        String line = message.strip().replaceAll("\\s+", " ");
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    @PreDestroy
    void stop() {
        turns.shutdownNow();
    }
}
