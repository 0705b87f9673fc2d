package dev.ragline.llm.chat.service;

/** A responder's final answer to a turn, with the tokens it consumed and produced. */
public record TurnReply(String text, long inputTokens, long outputTokens) {
}
