package dev.ragline.ingest.job.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.job.JobStatus;
import dev.ragline.ingest.job.repository.JobRepository;
import dev.ragline.ingest.job.repository.JobRepository.ProgressUpdate;
import dev.ragline.ingest.telemetry.RakeMetrics;

/**
 * One running job's progress as the pipeline's stages report it (from their own threads, hence synchronized), persisted (at
 * most every {@code SAVE_EVERY},
 * and at each stage change) so any instance can serve it; each save also tells whether the job was
 * cancelled or taken over, which stops the pipeline at its next checkpoint.
 */
public class JobControl {

    private static final Duration SAVE_EVERY = Duration.ofMillis(500);
    private static final int MAX_ERRORS = 100;
    private static final List<JobStatus> STAGES = List.of(JobStatus.FETCHING, JobStatus.CLEANING, JobStatus.CHUNKING,
            JobStatus.EMBEDDING, JobStatus.STORING);

    private final JobRepository jobs;
    private final String tenantId;
    private final UUID jobId;
    private final String instance;
    private final ObjectNode stages;
    private final ArrayNode errors;
    private final String source;
    private final RakeMetrics metrics;
    private final Map<JobStatus, Long> busyNanos = new EnumMap<>(JobStatus.class);
    private final JobTracing.JobSpans spans;

    private JobStatus status = JobStatus.FETCHING;
    private int documentsTotal;
    private int documentsDone;
    private int documentsSkipped;
    private int documentsFailed;
    private int chunksTotal;
    private int chunksDone;
    private long tokensEmbedded;
    private BigDecimal costUsd = BigDecimal.ZERO;
    private final Set<JobStatus> finished = EnumSet.noneOf(JobStatus.class);
    private Instant lastSaved = Instant.EPOCH;
    private volatile String stopReason;

    public JobControl(JobRepository jobs, ObjectMapper json, String tenantId, UUID jobId, String instance, String source,
            RakeMetrics metrics, JobTracing.JobSpans spans) {
        this.jobs = jobs;
        this.spans = spans;
        this.source = source;
        this.metrics = metrics;
        this.tenantId = tenantId;
        this.jobId = jobId;
        this.instance = instance;
        this.stages = json.createObjectNode();
        this.errors = json.createArrayNode();
    }

    public UUID jobId() {
        return jobId;
    }

    public String tenantId() {
        return tenantId;
    }

    /**
     * A stage took its first piece of work. Stages overlap (documents stream through them in batches), so
     * a stage's {@code started_at} is when its first document arrived and its {@code ended_at} when its
     * last one left; the job's status is the earliest stage that is not finished.
     */
    public synchronized void stageStarted(JobStatus stage) {
        ObjectNode record = stageRecord(stage);
        if (!record.has("started_at")) {
            record.put("started_at", Instant.now().toString());
            spans.stageStarted(stageName(stage));
        }
    }

    /** A stage handled its last piece of work; the status moves on to the next unfinished stage. */
    public synchronized void stageFinished(JobStatus stage) {
        finished.add(stage);
        String name = stageName(stage);
        spans.stageFinished(name, busyNanos.getOrDefault(stage, 0L));
        if (stages.has(name)) {
            ((ObjectNode) stages.get(name)).put("ended_at", Instant.now().toString());
        }
        JobStatus next = STAGES.stream().filter(s -> !finished.contains(s)).findFirst().orElse(JobStatus.STORING);
        if (next != status) {
            status = next;
            save(true);
        }
        checkpoint();
    }

    /** Time a stage spent working (not waiting for its neighbours), summed over its batches. */
    public synchronized void stageBusy(JobStatus stage, long nanos) {
        ObjectNode record = stageRecord(stage);
        record.put("busy_ms", record.path("busy_ms").asLong(0) + nanos / 1_000_000);
        busyNanos.merge(stage, nanos, Long::sum);
    }

    /** The time each stage worked so far, for the stage-duration metric when the job ends. */
    public synchronized Map<JobStatus, Long> stageBusyNanos() {
        return new EnumMap<>(busyNanos);
    }

    private static String stageName(JobStatus stage) {
        return switch (stage) {
            case FETCHING -> "fetch";
            case CLEANING -> "clean";
            case CHUNKING -> "chunk";
            case EMBEDDING -> "embed";
            case STORING -> "store";
            default -> stage.name().toLowerCase();
        };
    }

    private ObjectNode stageRecord(JobStatus stage) {
        String name = stageName(stage);
        return stages.has(name) ? (ObjectNode) stages.get(name) : stages.putObject(name);
    }

    private void count(JobStatus stage, String what, int by) {
        ObjectNode record = stageRecord(stage);
        record.put(what, record.path(what).asInt(0) + by);
    }

    public synchronized void documentFetched() {
        documentsTotal++;
        count(JobStatus.FETCHING, "documents", 1);
        metrics.documentFetched(source);
        save(false);
    }

    public synchronized void documentFailed(JobStatus stage, String sourceId, String reason) {
        documentsFailed++;
        metrics.documentFailed(source, stage, reason);
        if (errors.size() < MAX_ERRORS) {
            errors.addObject().put("document", sourceId).put("stage", stage.name()).put("error", reason);
        }
        save(false);
    }

    public synchronized void documentCleaned() {
        count(JobStatus.CLEANING, "documents", 1);
    }

    public synchronized void documentSkipped() {
        documentsSkipped++;
        metrics.documentSkipped(source);
        documentsDone++;
        count(JobStatus.CLEANING, "skipped_unchanged", 1);
    }

    public synchronized void documentsStored(int count) {
        documentsDone += count;
        count(JobStatus.STORING, "documents", count);
        save(false);
    }

    public synchronized void chunksPlanned(int count) {
        chunksTotal += count;
        count(JobStatus.CHUNKING, "chunks", count);
    }

    public synchronized void chunksEmbedded(int count, long tokens, BigDecimal cost) {
        chunksDone += count;
        tokensEmbedded += tokens;
        costUsd = costUsd.add(cost);
        metrics.chunksEmbedded(source, count, tokens, cost);
        count(JobStatus.EMBEDDING, "chunks", count);
        save(false);
    }

    public synchronized int documentsFailedCount() {
        return documentsFailed;
    }

    public synchronized int documentsTotalCount() {
        return documentsTotal;
    }

    /** Throws {@link JobStopped} once the job was cancelled or taken over. */
    public void checkpoint() {
        if (stopReason != null) {
            throw new JobStopped(stopReason);
        }
    }

    /** Called by the heartbeat: renews the lease and notices a cancellation between saves. */
    public void heartbeat(Duration lease) {
        var current = jobs.renewLease(tenantId, jobId, instance, lease);
        if (current.isEmpty()) {
            stopReason = "job taken over by another instance";
        } else if (current.get() == JobStatus.CANCELLED) {
            stopReason = "job cancelled";
        }
    }

    /** Ends the job's span (with its final status) and any stage span a failure left open; once. */
    public synchronized void endSpans(String status) {
        spans.end(status, stopReason, errors.size());
    }

    public synchronized void flush() {
        save(true);
    }

    private void save(boolean force) {
        Instant now = Instant.now();
        if (!force && Duration.between(lastSaved, now).compareTo(SAVE_EVERY) < 0) {
            return;
        }
        lastSaved = now;
        boolean stillOurs = jobs.saveProgress(tenantId, jobId, instance, new ProgressUpdate(status, stages,
                documentsTotal, documentsDone, documentsSkipped, documentsFailed, chunksTotal, chunksDone,
                tokensEmbedded, costUsd, errors));
        if (!stillOurs) {
            stopReason = "job cancelled or taken over";
        }
        checkpoint();
    }
}
