package dev.ragline.llm.chat.rest;

import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.ragline.llm.chat.service.ChatService;
import dev.ragline.llm.common.CallerResolver;
import dev.ragline.llm.common.Problems;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.core.http.HttpServerResponse;

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
     * Runs on a virtual thread and writes the stream itself: refusals raised before the first event (400,
     * 404) answer as problem+json with their status, and a client that goes away cancels the turn at once.
     */
    @POST
    @RunOnVirtualThread
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({ MediaType.SERVER_SENT_EVENTS, Problems.MEDIA_TYPE })
    public Response chat(ChatRequest request, @Context HttpServerResponse connection) {
        String message = validMessage(request);
        ChatService.Started started = chat.start(callers.of(token), Optional.ofNullable(request.sessionId()), message);
        StreamingOutput stream = out -> SseWriter.write(started.events(), out, connection);
        return Response.ok(stream, MediaType.SERVER_SENT_EVENTS_TYPE)
                .header("X-Accel-Buffering", "no")
                .header("Cache-Control", "no-cache")
                .build();
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
