package dev.ragline.ingest.job;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** An ingestion job as clients see it: what it ingests, where it is, what it cost. */
public record Job(
        UUID jobId,
        String tenantId,
        String source,
        JsonNode params,
        JobStatus status,
        Progress progress,
        JsonNode stages,
        int documentsSkipped,
        int documentsFailed,
        long tokensEmbedded,
        BigDecimal costUsd,
        JsonNode errors,
        String error,
        int attempts,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime startedAt,
        OffsetDateTime completedAt) {

    /** The same job with other parameters (the opened secrets, for the run only). */
    public Job withParams(JsonNode realParams) {
        return new Job(jobId, tenantId, source, realParams, status, progress, stages, documentsSkipped,
                documentsFailed, tokensEmbedded, costUsd, errors, error, attempts, createdAt, updatedAt, startedAt,
                completedAt);
    }

    public record Progress(String stage, int documentsTotal, int documentsDone, int chunksTotal, int chunksDone,
            int percentage) {
    }
}
