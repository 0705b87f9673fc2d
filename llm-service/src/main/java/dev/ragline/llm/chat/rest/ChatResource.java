package dev.ragline.llm.chat.rest;

import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.ResponseHeader;

import dev.ragline.llm.chat.service.ChatService;
import dev.ragline.llm.common.CallerResolver;
import dev.ragline.llm.common.Problems;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Multi;

/** POST /v1/chat: one customer message in, the answer out as server-sent events. */
@Path("/v1/chat")
@Authenticated
public class ChatResource {

    private final ChatService chat;
    private final CallerResolver callers;
    private final JsonWebToken token;

    ChatResource(ChatService chat, CallerResolver callers, JsonWebToken token) {
        this.chat = chat;
        this.callers = callers;
        this.token = token;
    }

    /**
     * Starts the turn on a virtual thread (a follow-up turn checks its session in PostgreSQL first), so refusals
     * raised before the stream starts (400, 404) answer as problem+json with their status. The events are then
     * written by Quarkus REST as they are emitted, on the thread that emits them (the provider stream's event
     * loop for tokens), instead of being handed to a writing thread one by one; a client that goes away cancels
     * the subscription, which cancels the turn.
     */
    @POST
    @Blocking // a method returning Multi counts as non-blocking unless told, even with @RunOnVirtualThread
    @RunOnVirtualThread
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    @ResponseHeader(name = "Cache-Control", value = "no-cache")
    public Multi<OutboundSseEvent> chat(ChatRequest request, @Context Sse sse) {
        String message = validMessage(request);
        ChatService.Started started = chat.start(callers.of(token), Optional.ofNullable(request.sessionId()), message);
        return started.events().map(event -> sse.newEventBuilder().name(event.type()).data(event.data().toString())
                .build());
    }

    static String validMessage(ChatRequest request) {
        if (request == null || request.message() == null || request.message().isBlank()) {
            throw new Problems.Refusal(400, "chat-message-required", "message must be a non-empty string");
        }
        if (request.message().length() > ChatService.MAX_MESSAGE_LENGTH) {
            throw new Problems.Refusal(400, "chat-message-too-long",
                    "message must be at most " + ChatService.MAX_MESSAGE_LENGTH + " characters");
        }
        return request.message().strip();
    }
}
