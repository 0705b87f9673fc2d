package dev.ragline.ingest.common;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;

/** Every client error leaves as application/problem+json; malformed JSON is a 400, never a 500. */
public class ProblemMappers {

    public static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.status(), e.type(), e.title(), e.getMessage());
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e) {
        return Response.fromResponse(respond(401, "https://ragline.dev/problems/unauthorized", "Unauthorized",
                "A valid bearer token (or, on a job's event stream, a stream session cookie) is required"))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return respond(400, "https://ragline.dev/problems/malformed-json", "Malformed JSON", e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        return respond(400, "https://ragline.dev/problems/invalid-request", "Invalid request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return null;
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(status, "https://ragline.dev/problems/http-" + status, title, e.getMessage());
    }

    static Response respond(int status, String type, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
