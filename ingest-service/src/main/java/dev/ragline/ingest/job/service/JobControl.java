package dev.ragline.ingest.job.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.job.JobStatus;
import dev.ragline.ingest.job.repository.JobRepository;
import dev.ragline.ingest.job.repository.JobRepository.ProgressUpdate;

/**
 * One running job's progress as the pipeline reports it, persisted (at most every {@code SAVE_EVERY},
 * and at each stage change) so any instance can serve it; each save also tells whether the job was
 * cancelled or taken over, which stops the pipeline at its next checkpoint.
 */
public class JobControl {

    private static final Duration SAVE_EVERY = Duration.ofMillis(500);
    private static final int MAX_ERRORS = 100;

    private final JobRepository jobs;
    private final String tenantId;
    private final UUID jobId;
    private final String instance;
    private final ObjectNode stages;
    private final ArrayNode errors;

    private JobStatus status = JobStatus.FETCHING;
    private int documentsTotal;
    private int documentsDone;
    private int documentsSkipped;
    private int documentsFailed;
    private int chunksTotal;
    private int chunksDone;
    private long tokensEmbedded;
    private BigDecimal costUsd = BigDecimal.ZERO;
    private Instant lastSaved = Instant.EPOCH;
    private volatile String stopReason;

    public JobControl(JobRepository jobs, ObjectMapper json, String tenantId, UUID jobId, String instance) {
        this.jobs = jobs;
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

    public synchronized void enterStage(JobStatus stage) {
        checkpoint();
        Instant now = Instant.now();
        stageRecord(status).put("ended_at", now.toString());
        ObjectNode record = stageRecord(stage);
        if (!record.has("started_at")) {
            record.put("started_at", now.toString());
        }
        record.remove("ended_at");
        status = stage;
        save(true);
    }

    public synchronized void endStage() {
        stageRecord(status).put("ended_at", Instant.now().toString());
    }

    private ObjectNode stageRecord(JobStatus stage) {
        String name = switch (stage) {
            case FETCHING -> "fetch";
            case CLEANING -> "clean";
            case CHUNKING -> "chunk";
            case EMBEDDING -> "embed";
            case STORING -> "store";
            default -> stage.name().toLowerCase();
        };
        return stages.has(name) ? (ObjectNode) stages.get(name) : stages.putObject(name);
    }

    public synchronized void countInStage(String what, int by) {
        ObjectNode record = stageRecord(status);
        record.put(what, record.path(what).asInt(0) + by);
    }

    public synchronized void documentFetched() {
        documentsTotal++;
        countInStage("documents", 1);
        save(false);
    }

    public synchronized void documentFailed(String sourceId, String reason) {
        documentsFailed++;
        if (errors.size() < MAX_ERRORS) {
            errors.addObject().put("document", sourceId).put("stage", status.name()).put("error", reason);
        }
        save(false);
    }

    public synchronized void documentSkipped() {
        documentsSkipped++;
        documentsDone++;
        countInStage("skipped_unchanged", 1);
    }

    public synchronized void documentStored() {
        documentsDone++;
        countInStage("documents", 1);
        save(false);
    }

    public synchronized void chunksPlanned(int count) {
        chunksTotal += count;
        countInStage("chunks", count);
    }

    public synchronized void chunksEmbedded(int count, long tokens, BigDecimal cost) {
        chunksDone += count;
        tokensEmbedded += tokens;
        costUsd = costUsd.add(cost);
        countInStage("chunks", count);
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
