package dev.ragline.llm.common;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 9457 problem details with stable type URIs for every refusal llm-service answers with. */
public class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://ragline.dev/problems/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A refusal with a stable type, raised by services and answered as problem+json. */
    public static class Refusal extends RuntimeException {

        final int status;
        final String type;

        public Refusal(int status, String type, String detail) {
            super(detail);
            this.status = status;
            this.type = type;
        }
    }

    public static Response of(int status, String type, String title, String detail) {
        ObjectNode body = MAPPER.createObjectNode().put("type", BASE + type).put("title", title)
                .put("status", status).put("detail", detail);
        return Response.status(status).type(MEDIA_TYPE).entity(body.toString()).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFound e) {
        return of(404, "not-found", "Not Found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response refused(Refusal e) {
        return of(e.status, e.type, "Bad Request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return of(400, "malformed-json", "Bad Request", "The request body is not valid JSON");
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        return of(400, "validation", "Bad Request", e.getConstraintViolations().stream()
                .map(violation -> violation.getPropertyPath() + " " + violation.getMessage()).sorted()
                .reduce((a, b) -> a + "; " + b).orElse("invalid request"));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException) {
            return malformed((JsonProcessingException) e.getCause());
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return of(status, title.toLowerCase().replace(' ', '-'), title,
                e.getMessage() == null ? title : e.getMessage());
    }
}
