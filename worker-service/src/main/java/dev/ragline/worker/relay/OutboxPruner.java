package dev.ragline.worker.relay;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/** Deletes published outbox rows once they are older than the retention, in small batches. */
@ApplicationScoped
public class OutboxPruner {

    private static final int BATCH = 1000;

    private final OutboxRepository outbox;
    private final RelayConfig config;
    private final Counter pruned;

    OutboxPruner(OutboxRepository outbox, RelayConfig config, MeterRegistry metrics) {
        this.outbox = outbox;
        this.config = config;
        this.pruned = Counter.builder("ragline.outbox.pruned").description("Published outbox rows deleted after the retention")
                .register(metrics);
    }

    @Scheduled(every = "${ragline.relay.prune-every:1m}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPrune() {
        if (config.enabled()) {
            prune();
        }
    }

    /** Answers how many rows it deleted. */
    public int prune() {
        int total = 0;
        int deleted;
        do {
            deleted = outbox.prunePublishedBefore(config.retention(), BATCH);
            total += deleted;
        } while (deleted == BATCH);
        pruned.increment(total);
        return total;
    }
}
