package dev.ragline.llm.chat.rest;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.ragline.llm.chat.ChatMessage;
import dev.ragline.llm.chat.ChatSession;
import dev.ragline.llm.chat.service.ChatService;
import dev.ragline.llm.common.CallerResolver;
import dev.ragline.llm.common.NotFound;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** The caller's own chat sessions; another user's or tenant's session answers 404 like a missing one. */
@Path("/v1/chat/sessions")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class ChatSessionsResource {

    public record SessionDetail(@JsonProperty("session") ChatSession session,
            @JsonProperty("messages") List<ChatMessage> messages) {
    }

    private final ChatService chat;
    private final CallerResolver callers;
    private final JsonWebToken token;

    ChatSessionsResource(ChatService chat, CallerResolver callers, JsonWebToken token) {
        this.chat = chat;
        this.callers = callers;
        this.token = token;
    }

    @GET
    public Map<String, List<ChatSession>> list() {
        return Map.of("items", chat.sessions(callers.of(token)));
    }

    @GET
    @Path("/{id}")
    public SessionDetail get(@PathParam("id") String id) {
        UUID sessionId = parse(id);
        return new SessionDetail(chat.session(callers.of(token), sessionId),
                chat.messages(callers.of(token), sessionId));
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public void delete(@PathParam("id") String id) {
        chat.delete(callers.of(token), parse(id));
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFound("chat session", null);
        }
    }
}
