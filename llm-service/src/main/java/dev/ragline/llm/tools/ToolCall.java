package dev.ragline.llm.tools;

import com.fasterxml.jackson.databind.JsonNode;

/** A tool the responder asked for, with the arguments as it wrote them (untrusted). */
public record ToolCall(String id, String name, JsonNode arguments) {
}
