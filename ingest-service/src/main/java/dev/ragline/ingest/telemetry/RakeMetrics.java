package dev.ragline.ingest.telemetry;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.job.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Rake's telemetry as Prometheus meters. Every label is drawn from a fixed set (the five source names,
 * the final statuses, the five stages, the error kinds below), never a tenant, job or document, so the
 * series count does not grow with the data.
 */
@ApplicationScoped
public class RakeMetrics {

    private static final Set<String> SOURCES = Set.of("file_upload", "url_scrape", "database_query", "api_fetch",
            "sec_edgar");
    private static final Duration[] JOB_BUCKETS = { Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1) };

    private final MeterRegistry meters;
    private final AtomicReference<Double> oldestPending = new AtomicReference<>(0.0);

    RakeMetrics(MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("ragline_rake_oldest_pending_job_age_seconds", oldestPending, AtomicReference::get)
                .description("Age of the oldest PENDING job of any tenant (0 when none waits)").register(meters);
    }

    /** The source label: one of the five names, or {@code other} for anything a caller got wrong. */
    public static String source(String name) {
        return SOURCES.contains(name) ? name : "other";
    }

    public void documentFetched(String source) {
        documents(source, "fetched").increment();
    }

    public void documentSkipped(String source) {
        documents(source, "skipped_unchanged").increment();
    }

    public void documentFailed(String source, JobStatus stage, String reason) {
        documents(source, "failed").increment();
        sourceError(source, errorKind(stage, reason));
    }

    public void sourceError(String source, String kind) {
        Counter.builder("ragline_rake_source_errors").description("Documents or whole sources that failed, by kind")
                .tag("source", source(source)).tag("kind", kind).register(meters).increment();
    }

    public void chunksEmbedded(String source, int chunks, long tokens, BigDecimal costUsd) {
        Counter.builder("ragline_rake_chunks_embedded").description("Chunks embedded").tag("source", source(source))
                .register(meters).increment(chunks);
        Counter.builder("ragline_rake_embedding_tokens").description("Tokens sent to the embedding model")
                .tag("source", source(source)).register(meters).increment(tokens);
        Counter.builder("ragline_rake_embedding_cost_usd").description("Embedding cost in US dollars")
                .tag("source", source(source)).register(meters).increment(costUsd.doubleValue());
    }

    /** A job ended on this instance: its final status, its duration, and the time each stage worked. */
    public void jobFinished(String source, String status, Duration took, Map<JobStatus, Long> stageBusyNanos) {
        String label = status;
        Counter.builder("ragline_rake_jobs").description("Jobs that ended, by source and final status")
                .tag("source", source(source)).tag("status", label).register(meters).increment();
        Timer.builder("ragline_rake_job_duration").description("From claim to final status")
                .tag("source", source(source)).tag("status", label).serviceLevelObjectives(JOB_BUCKETS)
                .register(meters).record(took);
        stageBusyNanos.forEach((stage, nanos) -> Timer.builder("ragline_rake_stage_duration")
                .description("Time one job's stage worked (not waiting on its neighbours)")
                .tag("stage", stage.name().toLowerCase(Locale.ROOT)).serviceLevelObjectives(JOB_BUCKETS)
                .register(meters).record(Duration.ofNanos(nanos)));
    }

    void oldestPending(double seconds) {
        oldestPending.set(seconds);
    }

    private Counter documents(String source, String outcome) {
        return Counter.builder("ragline_rake_documents").description("Documents by outcome")
                .tag("source", source(source)).tag("outcome", outcome).register(meters);
    }

    /**
     * A bounded kind for a failure reason. The reasons are the sources' own messages (with URLs and
     * ids in them), so only their fixed beginnings decide.
     */
    static String errorKind(JobStatus stage, String reason) {
        if (stage == JobStatus.CLEANING) {
            return "empty_text";
        }
        String r = reason == null ? "" : reason;
        if (r.startsWith("HTTP 4")) {
            return "http_4xx";
        } else if (r.startsWith("HTTP 5")) {
            return "http_5xx";
        } else if (r.startsWith("HTTP ")) {
            return "http_other";
        } else if (r.startsWith("disallowed by robots")) {
            return "robots";
        } else if (r.startsWith("refused")) {
            return "refused";
        } else if (r.startsWith("fetch failed")) {
            return "network";
        } else if (r.startsWith("unsupported content type")) {
            return "unsupported_type";
        } else if (r.startsWith("unreadable")) {
            return "unreadable";
        } else if (r.endsWith(" is null") || r.contains("without")) {
            return "missing_id";
        }
        return "other";
    }
}
