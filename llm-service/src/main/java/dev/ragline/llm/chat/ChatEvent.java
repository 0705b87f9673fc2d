package dev.ragline.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;

/** One event of a streamed chat turn, the same on SSE ({@code event: type}) and on the WebSocket. */
public record ChatEvent(String type, JsonNode data) {

    public static final String SESSION = "session";
    public static final String TOKEN = "token";
    public static final String TOOL_CALL = "tool_call";
    public static final String TOOL_RESULT = "tool_result";
    public static final String DONE = "done";
    public static final String ERROR = "error";
}
