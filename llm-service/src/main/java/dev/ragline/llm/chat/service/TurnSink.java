package dev.ragline.llm.chat.service;

import java.util.List;

import dev.ragline.llm.tools.ToolCall;
import dev.ragline.llm.tools.ToolOutcome;

/** What a responder may do while answering a turn; the chat service streams, records and limits it. */
public interface TurnSink {

    void token(String text);

    /** Records that the responder decided to call these tools (before running them). */
    void toolCallsDecided(String text, List<ToolCall> calls);

    /** Streams tool_call, runs the tool as the caller (within the per-turn cap), streams tool_result. */
    ToolOutcome runTool(ToolCall call);

    /** Whether the per-turn tool cap is used up, so the responder should answer without more tools. */
    boolean toolBudgetSpent();

    /**
     * Reports time the responder's model spent (a provider from the request to its first chunk or its whole reply,
     * the offline responder choosing its tool); what of it comes before the first token is not the service's own.
     */
    void modelWorked(long nanos);
}
