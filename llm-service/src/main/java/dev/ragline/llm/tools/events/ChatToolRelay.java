package dev.ragline.llm.tools.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Relays chat_tool_executed events from the outbox to Kafka: locks a batch of rows (SKIP LOCKED, so replicas
 * share the work), sends them, and deletes them in the same transaction once Kafka acknowledged every one.
 * A refusal or an outage rolls the batch back and it is sent again on the next pass (at least once; each event
 * carries its event_id for consumers to deduplicate). A committed tool call nudges the relay; otherwise it
 * looks again every second.
 */
@ApplicationScoped
public class ChatToolRelay {

    private static final Logger LOG = Logger.getLogger(ChatToolRelay.class);
    private static final int BATCH = 100;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final ToolEventPublisher publisher;
    private final Semaphore nudges = new Semaphore(0);
    private volatile boolean running;
    private Thread loop;

    ChatToolRelay(Pool pool, ToolEventPublisher publisher) {
        this.pool = pool;
        this.publisher = publisher;
    }

    /** Something was written to the outbox: relay it now rather than at the next pass. */
    public void nudge() {
        nudges.release();
    }

    void start(@Observes StartupEvent started) {
        running = true;
        loop = Thread.ofVirtual().name("chat-tool-relay").start(this::relayUntilStopped);
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }

    private void relayUntilStopped() {
        while (running) {
            try {
                if (relayBatch() < BATCH) {
                    nudges.tryAcquire(1, TimeUnit.SECONDS);
                    nudges.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("chat_tool_executed events stay in the outbox until Kafka accepts them: %s", e.getMessage());
                sleepBeforeRetry();
            }
        }
    }

    /** One pass: how many events were sent and acknowledged. */
    int relayBatch() {
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT id, event_id, tenant_id, session_id, event FROM chat_tool_outbox "
                        + "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(BATCH))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    List<Long> ids = new ArrayList<>();
                    List<Uni<Void>> sent = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        sent.add(publisher.send(row.getUUID("event_id").toString(), row.getUUID("tenant_id").toString(),
                                row.getUUID("session_id").toString(), row.getString("event")));
                    }
                    return Uni.combine().all().unis(sent).collectFailures().discardItems()
                            .ifNoItem().after(SEND_TIMEOUT).fail()
                            .flatMap(acknowledged -> connection
                                    .preparedQuery("DELETE FROM chat_tool_outbox WHERE id = ANY($1)")
                                    .execute(Tuple.of(ids.toArray(Long[]::new))))
                            .map(RowSet::rowCount);
                }))
                .await().indefinitely();
    }

    private void sleepBeforeRetry() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
