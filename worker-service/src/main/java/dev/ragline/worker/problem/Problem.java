package dev.ragline.worker.problem;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An RFC 9457 problem detail; {@code type} is a stable URI clients may switch on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @JsonProperty("type") String type,
        @JsonProperty("title") String title,
        @JsonProperty("status") int status,
        @JsonProperty("detail") String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://ragline.dev/problems/";

    public static Response response(int status, String slug, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(new Problem(BASE + slug, title, status, detail)).build();
    }
}
