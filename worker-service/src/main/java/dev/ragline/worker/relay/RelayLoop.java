package dev.ragline.worker.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Runs the relay without threads of its own: {@code ragline.relay.concurrency} relay slots, each with a
 * PostgreSQL connection of its own, all on one Vert.x event loop together with the {@code LISTEN} connection
 * ({@link OutboxListener}). A notification therefore starts a claim on the very thread that read it, and the
 * claim's rows go straight to the relay's sender thread ({@link OutboxRelay}): no thread waits on a connection pool
 * or on a query between an order's commit and its publication. A slot relays batch after batch while rows are waiting, then
 * rests until a
 * {@code NOTIFY ragline_outbox} or the poll interval, whichever comes first. Several slots overlap one batch's
 * wait for the broker with the next batch's claim; they claim disjoint rows (SKIP LOCKED) and keep each
 * aggregate's order exactly as several replicas do.
 *
 * <p>
 * A notification starts one resting slot, not all: every order commit notifies, and waking every slot made all
 * but one claim nothing. One that arrives while every slot is busy is remembered, and the next slot to finish
 * claims again. A slot that found a full batch starts another, since more rows may be waiting, and one whose
 * batch unblocked later versions of its aggregates claims again at once: no notification announces those. When
 * no claim started for the poll interval (the LISTEN connection lost, or rows whose retry came due), one slot
 * claims. All of this state lives on the event loop, so it needs no locks.
 */
@ApplicationScoped
public class RelayLoop {

    private static final Logger LOG = Logger.getLogger(RelayLoop.class);

    private final OutboxRelay relay;
    private final RelayConfig config;
    private final Vertx vertx;
    private final PgConnectOptions connectOptions;
    private final List<Slot> slots = new ArrayList<>();
    private Context context;
    /** A notification arrived while every slot was busy. */
    private boolean pending;
    private long lastClaimStarted;
    private volatile boolean running;
    private CountDownLatch idle;

    /** One relay slot: its connection (opened when needed) and whether a batch is under way. */
    private static final class Slot {
        final int index;
        PgConnection connection;
        boolean busy;
        Duration errorPause;

        Slot(int index, Duration errorPause) {
            this.index = index;
            this.errorPause = errorPause;
        }
    }

    RelayLoop(OutboxRelay relay, RelayConfig config, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.relay = relay;
        this.config = config;
        this.vertx = vertx;
        this.connectOptions = PgConnectOptions.fromUri(url).setUser(user).setPassword(password)
                .setCachePreparedStatements(true);
    }

    /** The event loop the relay and its LISTEN connection run on. */
    synchronized Context context() {
        if (context == null) {
            context = vertx.getDelegate().getOrCreateContext();
        }
        return context;
    }

    PgConnectOptions connectOptions() {
        return connectOptions;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.enabled()) {
            LOG.info("Outbox relay disabled");
            return;
        }
        running = true;
        onContext(() -> {
            for (int i = 0; i < Math.max(1, config.concurrency()); i++) {
                slots.add(new Slot(i, config.initialBackoff()));
            }
            long pollNanos = config.pollInterval().toNanos();
            vertx.getDelegate().setPeriodic(Math.max(1, config.pollInterval().toMillis()), id -> {
                if (System.nanoTime() - lastClaimStarted >= pollNanos) {
                    wake();
                }
            });
            wake(); // whatever waits since before the start
        });
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (!running) {
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        onContext(() -> {
            running = false;
            idle = stopped;
            closeIfIdle();
        });
        if (!stopped.await(15, TimeUnit.SECONDS)) {
            LOG.warn("Outbox relay batches still under way at shutdown; their rows stay unpublished for the next claim");
        }
    }

    /** Called on every NOTIFY: rows are waiting; one resting slot claims them. */
    public void wakeUp() {
        onContext(this::wake);
    }

    private void wake() {
        if (!running) {
            return;
        }
        for (Slot slot : slots) {
            if (!slot.busy) {
                relay(slot);
                return;
            }
        }
        pending = true;
    }

    private void relay(Slot slot) {
        slot.busy = true;
        pending = false;
        lastClaimStarted = System.nanoTime();
        Uni<PgConnection> connection = slot.connection != null ? Uni.createFrom().item(slot.connection)
                : PgConnection.connect(vertx, connectOptions).invoke(opened -> slot.connection = opened);
        connection.chain(relay::relay).subscribe().with(
                batch -> onContext(() -> finished(slot, batch)),
                failure -> onContext(() -> failed(slot, failure)));
    }

    private void finished(Slot slot, OutboxRelay.Batch batch) {
        slot.busy = false;
        slot.errorPause = config.initialBackoff();
        if (!running) {
            closeIfIdle();
        } else if (batch.claimed() >= config.batchSize()) {
            relay(slot);
            wake(); // more may be waiting: another slot claims meanwhile
        } else if (batch.successorsWaiting() || pending) {
            relay(slot);
        }
    }

    private void failed(Slot slot, Throwable failure) {
        LOG.warnf("Outbox relay batch failed, pausing %s: %s", slot.errorPause, failure.toString());
        closeConnection(slot);
        Duration pause = slot.errorPause;
        slot.errorPause = pause.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff()
                : pause.multipliedBy(2);
        if (!running) {
            slot.busy = false;
            closeIfIdle();
            return;
        }
        vertx.getDelegate().setTimer(Math.max(1, pause.toMillis()), id -> {
            slot.busy = false;
            if (running) {
                relay(slot);
            } else {
                closeIfIdle();
            }
        });
    }

    private void closeIfIdle() {
        if (idle != null && slots.stream().noneMatch(slot -> slot.busy)) {
            slots.forEach(this::closeConnection);
            idle.countDown();
        }
    }

    private void closeConnection(Slot slot) {
        if (slot.connection != null) {
            slot.connection.close().subscribe().with(closed -> {
            }, ignored -> {
            });
            slot.connection = null;
        }
    }

    /** Runs the action on the relay's event loop: at once when called there, else as its next task. */
    void onContext(Runnable action) {
        Context relayContext = context();
        if (io.vertx.core.Vertx.currentContext() == relayContext) {
            action.run();
        } else {
            relayContext.runOnContext(ignored -> action.run());
        }
    }
}
