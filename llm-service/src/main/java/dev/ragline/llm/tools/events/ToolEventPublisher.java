package dev.ragline.llm.tools.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.contracts.EventHeaders;
import dev.ragline.llm.chat.ChatTurn;
import dev.ragline.llm.tools.ToolCall;
import dev.ragline.llm.tools.ToolOutcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Builds each tool execution's chat_tool_executed (chat_tool_v1) event, keyed by session id, and sends the
 * events {@link ChatToolRelay} reads from the outbox.
 */
@ApplicationScoped
public class ToolEventPublisher {

    public static final String EVENT_TYPE = "chat_tool_executed";

    private final Emitter<String> emitter;
    private final ObjectMapper mapper;

    ToolEventPublisher(@Channel("chat-tools") Emitter<String> emitter, ObjectMapper mapper) {
        this.emitter = emitter;
        this.mapper = mapper;
    }

    public ObjectNode eventOf(ChatTurn turn, ToolCall call, JsonNode arguments, ToolOutcome outcome, long durationMs) {
        ObjectNode event = mapper.createObjectNode()
                .put("event_id", UUID.randomUUID().toString())
                .put("event_type", EVENT_TYPE)
                .put("version", 1)
                .put("tenant_id", turn.caller().tenantId().toString())
                .put("aggregate_id", turn.sessionId().toString())
                .put("aggregate_version", turn.number())
                .put("occurred_at", Instant.now().toString());
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            event.put("traceparent", "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
        } else {
            event.putNull("traceparent");
        }
        ObjectNode payload = event.putObject("payload")
                .put("session_id", turn.sessionId().toString())
                .put("turn", turn.number())
                .put("user_id", turn.caller().userId())
                .put("tool_call_id", call.id())
                .put("tool_name", call.name())
                .put("outcome", outcome.outcome())
                .put("error", outcome.error())
                .put("order_id", outcome.orderId())
                .put("duration_ms", durationMs);
        if (arguments != null && arguments.isObject()) {
            payload.set("arguments", arguments);
        }
        return event;
    }

    /**
     * Sends one event from the outbox; completes once Kafka acknowledged it (acks=all) and fails if the broker
     * refused it, so the relay deletes the row only for an event that is stored in the topic.
     */
    public Uni<Void> send(String eventId, String tenantId, String key, String event) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String> builder()
                .withKey(key)
                .withHeaders(new RecordHeaders()
                        .add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8))
                        .add(EventHeaders.EVENT_TYPE, EVENT_TYPE.getBytes(StandardCharsets.UTF_8))
                        .add(EventHeaders.TENANT_ID, tenantId.getBytes(StandardCharsets.UTF_8)))
                .build();
        return Uni.createFrom().completionStage(() -> {
            CompletableFuture<Void> acknowledged = new CompletableFuture<>();
            emitter.send(Message.of(event).addMetadata(metadata)
                    .withAck(() -> {
                        acknowledged.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        acknowledged.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    }));
            return acknowledged;
        });
    }
}
