package dev.ragline.llm.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A tool call that ran (or was refused): its outcome, and the chat_tool_executed event that records it. */
public record ToolExecution(ToolOutcome outcome, ObjectNode event) {
}
