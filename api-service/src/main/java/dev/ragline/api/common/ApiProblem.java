package dev.ragline.api.common;

import java.util.List;

/**
 * A request the API refuses, answered as RFC 9457 problem+json. {@code type} is the last segment of a
 * stable type URI (https://ragline.dev/problems/{type}) that clients may switch on.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Integer retryAfterSeconds;

    public ApiProblem(int status, String type, String title, String detail, List<Problem.FieldError> errors,
            Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(404, "not-found", "Not found", what + " does not exist", List.of(), null);
    }

    public static ApiProblem conflict(String type, String detail) {
        return new ApiProblem(409, type, "Conflict", detail, List.of(), null);
    }

    public static ApiProblem badRequest(String type, String detail) {
        return new ApiProblem(400, type, "Bad request", detail, List.of(), null);
    }

    public static ApiProblem unprocessable(String type, String detail, List<Problem.FieldError> errors) {
        return new ApiProblem(422, type, "Unprocessable request", detail, errors, null);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Unauthorized", detail, List.of(), null);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Forbidden", detail, List.of(), null);
    }

    public static ApiProblem tooManyRequests(String type, String detail, int retryAfterSeconds) {
        return new ApiProblem(429, type, "Too many requests", detail, List.of(), retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.typeUri(type), title, status, getMessage(), instance, errors);
    }
}
