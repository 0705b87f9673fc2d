package dev.ragline.worker.deadletter;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.ragline.contracts.Topics;

/** A message a consumer gave up on, parked on {@code <topic>.dlq} and indexed here. */
public record DeadLetter(
        @JsonProperty("id") UUID id,
        @JsonProperty("consumer") String consumer,
        @JsonProperty("source_topic") String sourceTopic,
        @JsonProperty("source_partition") int sourcePartition,
        @JsonProperty("source_offset") long sourceOffset,
        @JsonProperty("tenant_id") UUID tenantId,
        @JsonProperty("event_id") UUID eventId,
        @JsonProperty("key") String key,
        @JsonProperty("body") String body,
        @JsonProperty("cause") String cause,
        @JsonProperty("status") String status,
        @JsonProperty("replay_attempts") int replayAttempts,
        @JsonProperty("last_replay_error") String lastReplayError,
        @JsonProperty("parked_at") Instant parkedAt,
        @JsonProperty("recovered_at") Instant recoveredAt) {

    public static final String PARKED = "parked";
    public static final String RECOVERED = "recovered";

    @JsonProperty("dead_letter_topic")
    public String deadLetterTopic() {
        return Topics.deadLetterTopicOf(sourceTopic);
    }
}
