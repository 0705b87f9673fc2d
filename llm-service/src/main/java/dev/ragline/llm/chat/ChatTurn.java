package dev.ragline.llm.chat;

import java.util.UUID;

import dev.ragline.llm.common.Caller;

/** One customer message and everything answering it acts under: the caller, the session and the turn number. */
public record ChatTurn(Caller caller, UUID sessionId, int number, String message) {

    /** Same session, same turn, same key: a retried confirm cannot place a second order. */
    public String idempotencyKey(String purpose) {
        return UUID.nameUUIDFromBytes((sessionId + ":" + number + ":" + purpose).getBytes()).toString();
    }
}
