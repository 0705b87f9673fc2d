package dev.ragline.llm.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a tool execution produced. {@code result} is what the responder sees next; {@code outcome} is
 * ok, rejected (refused before acting) or error (failed while acting).
 */
public record ToolOutcome(String outcome, JsonNode result, String error, String orderId) {

    public static final String OK = "ok";
    public static final String REJECTED = "rejected";
    public static final String ERROR = "error";

    public boolean ok() {
        return OK.equals(outcome);
    }
}
