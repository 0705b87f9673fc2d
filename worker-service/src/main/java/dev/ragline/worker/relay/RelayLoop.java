package dev.ragline.worker.relay;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the relay on its own thread: batch after batch while rows are waiting, then sleeps until a
 * {@code NOTIFY ragline_outbox} or the poll interval, whichever comes first.
 */
@ApplicationScoped
public class RelayLoop {

    private static final Logger LOG = Logger.getLogger(RelayLoop.class);

    private final OutboxRelay relay;
    private final RelayConfig config;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

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
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::run);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        if (thread != null) {
            wakeUp();
            thread.join(Duration.ofSeconds(15));
        }
    }

    /** Called on every NOTIFY: rows are waiting. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void run() {
        Duration errorPause = config.initialBackoff();
        while (running) {
            try {
                int claimed = relay.relayBatch();
                errorPause = config.initialBackoff();
                if (claimed < config.batchSize()) {
                    sleepUntilWokenOr(config.pollInterval());
                }
            } catch (RuntimeException e) {
                LOG.warnf("Outbox relay batch failed, pausing %s: %s", errorPause, e.toString());
                sleepUntilWokenOr(errorPause);
                errorPause = errorPause.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff()
                        : errorPause.multipliedBy(2);
            }
        }
    }

    private void sleepUntilWokenOr(Duration timeout) {
        try {
            wakeUps.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
            wakeUps.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
