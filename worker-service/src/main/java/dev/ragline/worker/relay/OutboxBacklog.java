package dev.ragline.worker.relay;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Gauge {@code ragline_outbox_backlog}: outbox rows waiting for this relay (its tenants, or all), so a relay
 * that falls behind shows as a growing number rather than only as lag. It is counted on a schedule, not on
 * every scrape, so scrapers cannot multiply the queries.
 */
@ApplicationScoped
public class OutboxBacklog {

    private static final Logger LOG = Logger.getLogger(OutboxBacklog.class);

    private final OutboxRepository outbox;
    private final RelayConfig config;
    private final AtomicLong backlog = new AtomicLong();

    OutboxBacklog(OutboxRepository outbox, RelayConfig config, MeterRegistry metrics) {
        this.outbox = outbox;
        this.config = config;
        Gauge.builder("ragline.outbox.backlog", backlog, AtomicLong::get)
                .description("Unpublished outbox rows this relay serves (counted up to ragline.relay.backlog-cap)")
                .register(metrics);
    }

    @Scheduled(every = "${ragline.relay.backlog-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        if (config.enabled()) {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.debugf("Outbox backlog not counted: %s", e.toString());
            }
        }
    }

    /** Counts the backlog now; answers it. */
    public long refresh() {
        long count = outbox.countUnpublished(config.tenants().orElse(Set.of()), config.backlogCap());
        backlog.set(count);
        return count;
    }
}
