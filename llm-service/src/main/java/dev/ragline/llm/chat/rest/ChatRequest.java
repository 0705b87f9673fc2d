package dev.ragline.llm.chat.rest;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

public record ChatRequest(@JsonProperty("session_id") UUID sessionId, @JsonProperty("message") String message) {
}
