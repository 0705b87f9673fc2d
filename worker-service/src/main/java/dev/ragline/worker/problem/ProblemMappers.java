package dev.ragline.worker.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.ragline.worker.deadletter.DeadLetterNotFoundException;
import dev.ragline.worker.deadletter.ReplayRejectedException;

/** Maps what can go wrong in a request to problem+json with a 4xx status. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return Problem.response(400, "malformed-json", "Malformed JSON",
                "The request body is not valid JSON for this endpoint");
    }

    /** The JSON reader reports a body it cannot read as a plain 400; give it the problem shape. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400) {
            return malformedJson(null);
        }
        return Problem.response(status, "http-" + status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + ": " + v.getMessage()).sorted()
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return Problem.response(400, "invalid-request", "Invalid request", detail);
    }

    @ServerExceptionMapper
    public Response invalidArgument(InvalidRequestException e) {
        return Problem.response(400, "invalid-request", "Invalid request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(404, "not-found", "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response deadLetterNotFound(DeadLetterNotFoundException e) {
        return Problem.response(404, "not-found", "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response replayRejected(ReplayRejectedException e) {
        return Problem.response(409, "replay-rejected", "Replay rejected", e.getMessage());
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
