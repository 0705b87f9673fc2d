package dev.ragline.llm.chat.memory;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.ragline.llm.tools.ToolCall;

/** A message of the conversation window a responder sees again on the next turn. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryMessage(
        @JsonProperty("role") String role,
        @JsonProperty("content") String content,
        @JsonProperty("tool_calls") List<ToolCall> toolCalls,
        @JsonProperty("tool_call_id") String toolCallId,
        @JsonProperty("tool_name") String toolName) {

    public static MemoryMessage user(String content) {
        return new MemoryMessage("user", content, null, null, null);
    }

    public static MemoryMessage assistant(String content, List<ToolCall> toolCalls) {
        return new MemoryMessage("assistant", content, toolCalls == null || toolCalls.isEmpty() ? null : toolCalls,
                null, null);
    }

    public static MemoryMessage toolResult(ToolCall call, String result) {
        return new MemoryMessage("tool", result, null, call.id(), call.name());
    }
}
