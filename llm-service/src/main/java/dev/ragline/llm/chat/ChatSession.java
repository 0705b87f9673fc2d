package dev.ragline.llm.chat;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

public record ChatSession(
        @JsonProperty("id") UUID id,
        @JsonProperty("title") String title,
        @JsonProperty("turns") int turns,
        @JsonProperty("created_at") OffsetDateTime createdAt,
        @JsonProperty("updated_at") OffsetDateTime updatedAt) {
}
