package dev.ragline.ingest.telemetry;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;

/** Refreshes the oldest-pending-job gauge off the scrape path (a scrape never waits on the database). */
@ApplicationScoped
class PendingJobsProbe {

    private static final Logger LOG = Logger.getLogger(PendingJobsProbe.class);

    private final Pool pool;
    private final RakeMetrics metrics;

    PendingJobsProbe(Pool pool, RakeMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    @Scheduled(every = "${ragline.metrics.pending-every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            double age = pool.query("SELECT ingest.oldest_pending_job_age_seconds() AS age").execute()
                    .map(rows -> rows.iterator().next().getDouble("age")).await().atMost(Duration.ofSeconds(10));
            metrics.oldestPending(age);
        } catch (RuntimeException e) {
            LOG.debugf("oldest pending job age not refreshed: %s", e.getMessage());
        }
    }
}
