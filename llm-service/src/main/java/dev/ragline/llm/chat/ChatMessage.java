package dev.ragline.llm.chat;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** A recorded message: a user or assistant text, or a tool call with its arguments and result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(
        @JsonProperty("turn") int turn,
        @JsonProperty("role") String role,
        @JsonProperty("content") String content,
        @JsonProperty("tool_call_id") String toolCallId,
        @JsonProperty("tool_name") String toolName,
        @JsonProperty("arguments") JsonNode arguments,
        @JsonProperty("result") JsonNode result,
        @JsonProperty("created_at") OffsetDateTime createdAt) {
}
