package dev.ragline.llm.chat.service;

import java.util.List;

import dev.ragline.llm.chat.ChatTurn;
import dev.ragline.llm.chat.memory.MemoryMessage;

/** Answers one turn, blocking on the thread that runs it; an interrupt means the client went away. */
public interface ChatResponder {

    TurnReply respond(ChatTurn turn, List<MemoryMessage> history, TurnSink sink) throws Exception;

    /** The name metrics and spans use for this responder. */
    String name();
}
