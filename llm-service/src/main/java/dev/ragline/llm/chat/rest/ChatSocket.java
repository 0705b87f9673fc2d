package dev.ragline.llm.chat.rest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.llm.chat.ChatEvent;
import dev.ragline.llm.chat.service.ChatService;
import dev.ragline.llm.common.Caller;
import dev.ragline.llm.common.CallerResolver;
import dev.ragline.llm.common.NotFound;
import dev.ragline.llm.common.Problems;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The chat over a WebSocket: each text frame {@code {"session_id"?, "message"}} starts a turn whose
 * events come back as {@code {"type", "data"}} frames, the same events as the SSE stream. Browsers cannot
 * set headers on a WebSocket, so the access token comes as the {@code access_token} query parameter.
 * Closing the socket cancels the turn in progress.
 */
@ServerEndpoint("/v1/chat/ws")
@ApplicationScoped
public class ChatSocket {

    private static final Logger LOG = Logger.getLogger(ChatSocket.class);

    private final ChatService chat;
    private final CallerResolver callers;
    private final JWTParser parser;
    private final ObjectMapper mapper;
    private final Map<String, Caller> authenticated = new ConcurrentHashMap<>();
    private final Map<String, Cancellable> running = new ConcurrentHashMap<>();
    private final ExecutorService turns = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("chat-ws-", 0).factory());

    ChatSocket(ChatService chat, CallerResolver callers, JWTParser parser, ObjectMapper mapper) {
        this.chat = chat;
        this.callers = callers;
        this.parser = parser;
        this.mapper = mapper;
    }

    @OnOpen
    public void open(Session session, jakarta.websocket.EndpointConfig config) throws IOException {
        List<String> token = session.getRequestParameterMap().getOrDefault("access_token", List.of(""));
        try {
            authenticated.put(session.getId(), callers.of(parser.parse(token.getFirst())));
        } catch (ParseException | RuntimeException e) {
            session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "a valid access token is required"));
        }
    }

    @OnMessage
    public void message(Session session, String frame) {
        Caller caller = authenticated.get(session.getId());
        if (caller == null) {
            return;
        }
        turns.submit(() -> startTurn(session, caller, frame));
    }

    @OnClose
    public void close(Session session) {
        authenticated.remove(session.getId());
        Cancellable turn = running.remove(session.getId());
        if (turn != null) {
            turn.cancel();
        }
    }

    private void startTurn(Session session, Caller caller, String frame) {
        try {
            JsonNode request = mapper.readTree(frame);
            String message = ChatResource.validMessage(new ChatRequest(null, request.path("message").asText(null)));
            Optional<UUID> sessionId = request.hasNonNull("session_id")
                    ? Optional.of(UUID.fromString(request.path("session_id").asText()))
                    : Optional.empty();
            ChatService.Started started = chat.start(caller, sessionId, message);
            running.put(session.getId(), started.events().subscribe().with(event -> send(session, event)));
        } catch (NotFound e) {
            send(session, error("not_found", e.getMessage()));
        } catch (Problems.Refusal e) {
            send(session, error("invalid_request", e.getMessage()));
        } catch (IOException | IllegalArgumentException e) {
            send(session, error("invalid_request", "Send {\"message\": \"...\", \"session_id\": \"...\"} as JSON"));
        }
    }

    private ChatEvent error(String type, String message) {
        return new ChatEvent(ChatEvent.ERROR, mapper.createObjectNode().put("type", type).put("message", message));
    }

    private void send(Session session, ChatEvent event) {
        ObjectNode frame = mapper.createObjectNode().put("type", event.type());
        frame.set("data", event.data());
        if (session.isOpen()) {
            synchronized (session) {
                try {
                    session.getBasicRemote().sendText(frame.toString());
                } catch (IOException e) {
                    LOG.debugf("Chat socket %s went away", session.getId());
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        turns.shutdownNow();
    }
}
