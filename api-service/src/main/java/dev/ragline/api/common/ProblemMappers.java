package dev.ragline.api.common;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Turns every failure into RFC 9457 problem+json: 4xx for the caller's mistakes, 500 only for ours. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem, UriInfo uri) {
        Response.ResponseBuilder response = respond(problem.status(), problem.toProblem(uri.getPath()));
        if (problem.retryAfterSeconds() != null) {
            response.header("Retry-After", problem.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(400, new Problem(Problem.typeUri("validation"), "Invalid request", 400,
                "The request has invalid fields", uri.getPath(), errors)).build();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        return respond(400, new Problem(Problem.typeUri("malformed-json"), "Malformed JSON", 400,
                "The request body is not valid JSON for this endpoint", uri.getPath(), List.of())).build();
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return respond(401, ApiProblem.unauthorized("A valid bearer token is required").toProblem(uri.getPath()))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, ApiProblem.forbidden("Your role does not allow this").toProblem(uri.getPath())).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json, uri);
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        String type = reason.toLowerCase().replace(' ', '-');
        return respond(status, new Problem(Problem.typeUri(type), reason, status, e.getMessage(), uri.getPath(), List.of()))
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (PgErrors.isUnavailable(e)) {
            LOG.warnf("Database unavailable on %s: %s", uri.getPath(), e.toString());
            return respond(503, new Problem(Problem.typeUri("database-unavailable"), "Service unavailable", 503,
                    "The database cannot be reached right now; retry shortly (with the same Idempotency-Key)",
                    uri.getPath(), List.of())).header("Retry-After", 1).build();
        }
        LOG.errorf(e, "Unexpected failure on %s", uri.getPath());
        return respond(500, new Problem(Problem.typeUri("internal"), "Internal error", 500,
                "The service failed unexpectedly", uri.getPath(), List.of())).build();
    }

    private static Response.ResponseBuilder respond(int status, Problem problem) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
    }

    /** "create.request.items[0].quantity" → "items[0].quantity": the field as the client sent it. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        String field = parts.length == 3 ? parts[2] : parts[parts.length - 1];
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
