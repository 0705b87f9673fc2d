package dev.ragline.api.common;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail; {@code errors} names the offending fields of a validation failure. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://ragline.dev/problems/";

    public static String typeUri(String type) {
        return TYPE_BASE + type;
    }

    public record FieldError(String field, String message) {
    }
}
