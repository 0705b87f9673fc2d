package dev.ragline.worker.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the relay on its own threads ({@code ragline.relay.concurrency}): batch after batch while rows are
 * waiting, then sleeps until a {@code NOTIFY ragline_outbox} or the poll interval, whichever comes first.
 * Several threads overlap one batch's broker round trip with the next batch's claim; they claim disjoint
 * rows (SKIP LOCKED) and keep each aggregate's order exactly as several replicas do.
 */
@ApplicationScoped
public class RelayLoop {

    private static final Logger LOG = Logger.getLogger(RelayLoop.class);

    private final OutboxRelay relay;
    private final RelayConfig config;
    private final List<Semaphore> wakeUps = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    RelayLoop(OutboxRelay relay, RelayConfig config) {
        this.relay = relay;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.enabled()) {
            LOG.info("Outbox relay disabled");
            return;
        }
        running = true;
        for (int i = 0; i < Math.max(1, config.concurrency()); i++) {
            Semaphore wakeUp = new Semaphore(0);
            wakeUps.add(wakeUp);
            threads.add(Thread.ofPlatform().name("outbox-relay-" + i).daemon().start(() -> run(wakeUp)));
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        wakeUp();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(15));
        }
    }

    /** Called on every NOTIFY: rows are waiting. */
    public void wakeUp() {
        for (Semaphore wakeUp : wakeUps) {
            if (wakeUp.availablePermits() == 0) {
                wakeUp.release();
            }
        }
    }

    private void run(Semaphore wakeUps) {
        Duration errorPause = config.initialBackoff();
        while (running) {
            try {
                int claimed = relay.relayBatch();
                errorPause = config.initialBackoff();
                if (claimed < config.batchSize()) {
                    sleepUntilWokenOr(wakeUps, config.pollInterval());
                }
            } catch (RuntimeException e) {
                LOG.warnf("Outbox relay batch failed, pausing %s: %s", errorPause, e.toString());
                sleepUntilWokenOr(wakeUps, errorPause);
                errorPause = errorPause.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff()
                        : errorPause.multipliedBy(2);
            }
        }
    }

    private void sleepUntilWokenOr(Semaphore wakeUps, Duration timeout) {
        try {
            wakeUps.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
            wakeUps.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
