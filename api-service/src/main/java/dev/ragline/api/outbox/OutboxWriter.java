package dev.ragline.api.outbox;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.common.TraceContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Records a domain event in the outbox inside the caller's transaction, so the event exists exactly
 * when the change it describes was committed. worker-service relays the rows to Kafka.
 */
@ApplicationScoped
public class OutboxWriter {

    public Uni<Void> append(SqlConnection tx, OutboxEvent event) {
        return tx.preparedQuery("""
                INSERT INTO outbox (event_id, event_type, version, tenant_id, aggregate_type, aggregate_id,
                                    aggregate_version, payload, traceparent)
                VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.from(new Object[] { UUID.randomUUID(), event.eventType(), event.tenantId(),
                        event.aggregateType(), event.aggregateId(), event.aggregateVersion(), event.payload(),
                        TraceContext.currentTraceparent() }))
                .replaceWithVoid();
    }

    /** The W3C traceparent an event written now records (the current span's), or null. */
    public String traceparent() {
        return TraceContext.currentTraceparent();
    }

    public record OutboxEvent(String eventType, UUID tenantId, String aggregateType, UUID aggregateId,
            long aggregateVersion, JsonObject payload) {
    }
}
