package dev.ragline.ingest.job.repository;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.common.TenantDb;
import dev.ragline.ingest.job.Job;
import dev.ragline.ingest.job.JobStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The jobs table. Every statement runs inside its tenant's transaction (row-level security). */
@ApplicationScoped
public class JobRepository {

    private static final String COLUMNS = "id, tenant_id, source, params::text AS params, status, stages::text AS stages,"
            + " documents_total, documents_done, documents_skipped, documents_failed, chunks_total, chunks_done,"
            + " tokens_embedded, cost_usd, errors::text AS errors, error, attempts, created_at, updated_at,"
            + " started_at, completed_at";

    private final TenantDb db;
    private final ObjectMapper json;

    JobRepository(TenantDb db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public record NewFile(String filename, String mediaType, byte[] content) {
    }

    public record StoredFile(UUID id, String filename, String mediaType, byte[] content) {
    }

    /**
     * Stores a new job: {@code params} as clients see them (masked), {@code sealedParams} the real ones sealed
     * (null when they hold no secret).
     */
    public Job create(String tenantId, UUID jobId, String source, JsonNode params, byte[] sealedParams,
            List<NewFile> files) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("INSERT INTO jobs (id, tenant_id, source, params, sealed_params)"
                        + " VALUES ($1, $2, $3, $4::text::jsonb, $5) RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(jobId, tenantId, source, params.toString(),
                        sealedParams == null ? null : io.vertx.core.buffer.Buffer.buffer(sealedParams))))
                .flatMap(rows -> insertFiles(connection, tenantId, jobId, files).replaceWith(rows))
                .map(rows -> toJob(rows.iterator().next())));
    }

    private Uni<Void> insertFiles(SqlConnection connection, String tenantId, UUID jobId, List<NewFile> files) {
        if (files.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = files.stream()
                .map(file -> Tuple.from(Arrays.asList(UUID.randomUUID(), jobId, tenantId, file.filename(), file.mediaType(),
                        (long) file.content().length, io.vertx.core.buffer.Buffer.buffer(file.content()))))
                .toList();
        return connection.preparedQuery("INSERT INTO job_files (id, job_id, tenant_id, filename, media_type, size_bytes,"
                + " content) VALUES ($1, $2, $3, $4, $5, $6, $7)").executeBatch(batch).replaceWithVoid();
    }

    public List<StoredFile> files(String tenantId, UUID jobId) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery(
                        "SELECT id, filename, media_type, content FROM job_files WHERE job_id = $1 ORDER BY filename, id")
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    List<StoredFile> files = new ArrayList<>();
                    rows.forEach(row -> files.add(new StoredFile(row.getUUID("id"), row.getString("filename"),
                            row.getString("media_type"), row.getBuffer("content").getBytes())));
                    return files;
                }));
    }

    /** The job's sealed real parameters, for the instance about to run it. */
    public Optional<byte[]> sealedParams(String tenantId, UUID jobId) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("SELECT sealed_params FROM jobs WHERE id = $1 AND sealed_params IS NOT NULL")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.rowCount() == 0 ? Optional.<byte[]> empty()
                        : Optional.of(rows.iterator().next().getBuffer("sealed_params").getBytes())));
    }

    public Optional<Job> find(String tenantId, UUID jobId) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> first(rows)));
    }

    public record Page(List<Job> items, long total) {
    }

    public Page list(String tenantId, Optional<JobStatus> status, int page, int size) {
        String where = status.isPresent() ? " WHERE status = $3" : "";
        Tuple args = Tuple.of(size, (long) page * size);
        if (status.isPresent()) {
            args.addString(status.get().name());
        }
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("SELECT " + COLUMNS + ", count(*) OVER () AS total FROM jobs" + where
                        + " ORDER BY created_at DESC, id LIMIT $1 OFFSET $2")
                .execute(args)
                .map(rows -> {
                    List<Job> jobs = new ArrayList<>();
                    long total = 0;
                    for (Row row : rows) {
                        jobs.add(toJob(row));
                        total = row.getLong("total");
                    }
                    return new Page(jobs, total);
                }));
    }

    public void markDispatched(String tenantId, UUID jobId) {
        db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("UPDATE jobs SET dispatched_at = now() WHERE id = $1").execute(Tuple.of(jobId)));
    }

    /**
     * Takes a job for this instance when nobody runs it: PENDING, or running under a lease that expired
     * because its instance died. Exactly one claimer wins; the others get empty.
     */
    public Optional<Job> claim(String tenantId, UUID jobId, String instance, Duration lease) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("UPDATE jobs SET lease_owner = $2, lease_expires_at = now() + make_interval(secs => $3),"
                        + " attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now(),"
                        + " status = CASE WHEN status = 'PENDING' THEN 'FETCHING' ELSE status END"
                        + " WHERE id = $1 AND (status = 'PENDING' OR (status IN ('FETCHING', 'CLEANING', 'CHUNKING',"
                        + " 'EMBEDDING', 'STORING') AND lease_expires_at < now())) RETURNING " + COLUMNS)
                .execute(Tuple.of(jobId, instance, (double) lease.toMillis() / 1000))
                .map(this::first));
    }

    /** Renews the lease while this instance still owns the job; the current status tells whether it was cancelled. */
    public Optional<JobStatus> renewLease(String tenantId, UUID jobId, String instance, Duration lease) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("UPDATE jobs SET lease_expires_at = CASE WHEN lease_owner = $2"
                        + " THEN now() + make_interval(secs => $3) ELSE lease_expires_at END"
                        + " WHERE id = $1 RETURNING status, lease_owner")
                .execute(Tuple.of(jobId, instance, (double) lease.toMillis() / 1000))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.<JobStatus> empty();
                    }
                    Row row = rows.iterator().next();
                    if (!instance.equals(row.getString("lease_owner"))) {
                        return Optional.<JobStatus> empty();
                    }
                    return Optional.of(JobStatus.valueOf(row.getString("status")));
                }));
    }

    public record ProgressUpdate(JobStatus status, JsonNode stages, int documentsTotal, int documentsDone,
            int documentsSkipped, int documentsFailed, int chunksTotal, int chunksDone, long tokensEmbedded,
            BigDecimal costUsd, JsonNode errors) {
    }

    /** Records progress while this instance owns the job and nobody cancelled it; false when it should stop. */
    public boolean saveProgress(String tenantId, UUID jobId, String instance, ProgressUpdate progress) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("UPDATE jobs SET status = $3, stages = $4::text::jsonb, documents_total = $5,"
                        + " documents_done = $6, documents_skipped = $7, documents_failed = $8, chunks_total = $9,"
                        + " chunks_done = $10, tokens_embedded = $11, cost_usd = $12, errors = $13::text::jsonb, updated_at = now()"
                        + " WHERE id = $1 AND lease_owner = $2 AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')")
                .execute(Tuple.from(Arrays.asList(jobId, instance, progress.status().name(), progress.stages().toString(),
                        progress.documentsTotal(), progress.documentsDone(), progress.documentsSkipped(),
                        progress.documentsFailed(), progress.chunksTotal(), progress.chunksDone(),
                        progress.tokensEmbedded(), progress.costUsd().setScale(6, RoundingMode.HALF_UP),
                        progress.errors().toString())))
                .map(rows -> rows.rowCount() == 1));
    }

    /** Ends the job (COMPLETED or FAILED) unless it was cancelled meanwhile; its uploads are no longer needed. */
    public void finish(String tenantId, UUID jobId, String instance, JobStatus status, String error) {
        db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("UPDATE jobs SET status = $3, error = $4, completed_at = now(), updated_at = now(),"
                        + " lease_owner = NULL, lease_expires_at = NULL"
                        + " WHERE id = $1 AND lease_owner = $2 AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')")
                .execute(Tuple.of(jobId, instance, status.name(), error))
                .flatMap(rows -> deleteFilesWhenCompleted(connection, jobId, status)));
    }

    private Uni<Void> deleteFilesWhenCompleted(SqlConnection connection, UUID jobId, JobStatus status) {
        if (status != JobStatus.COMPLETED) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("DELETE FROM job_files WHERE job_id = $1").execute(Tuple.of(jobId))
                .flatMap(deleted -> connection.preparedQuery("UPDATE jobs SET sealed_params = NULL WHERE id = $1")
                        .execute(Tuple.of(jobId)))
                .replaceWithVoid();
    }

    /** Fails a job that lost its instance too often, so it is never retried (or left running) forever. */
    public void giveUp(String tenantId, UUID jobId, String error) {
        db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("UPDATE jobs SET status = 'FAILED', error = $2, completed_at = now(), updated_at = now(),"
                        + " lease_owner = NULL, lease_expires_at = NULL"
                        + " WHERE id = $1 AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')")
                .execute(Tuple.of(jobId, error)));
    }

    public Optional<Job> cancel(String tenantId, UUID jobId) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("UPDATE jobs SET status = 'CANCELLED', completed_at = now(), updated_at = now(),"
                        + " lease_owner = NULL, lease_expires_at = NULL"
                        + " WHERE id = $1 AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED') RETURNING " + COLUMNS)
                .execute(Tuple.of(jobId))
                .map(this::first));
    }

    public Optional<Job> retry(String tenantId, UUID jobId) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("UPDATE jobs SET status = 'PENDING', error = NULL, errors = '[]'::jsonb, attempts = 0,"
                        + " stages = '{}'::jsonb, documents_total = 0, documents_done = 0, documents_skipped = 0,"
                        + " documents_failed = 0, chunks_total = 0, chunks_done = 0, tokens_embedded = 0, cost_usd = 0,"
                        + " dispatched_at = NULL, started_at = NULL, completed_at = NULL, updated_at = now()"
                        + " WHERE id = $1 AND status IN ('FAILED', 'CANCELLED') RETURNING " + COLUMNS)
                .execute(Tuple.of(jobId))
                .map(this::first));
    }

    public record Redispatch(UUID jobId, String tenantId) {
    }

    public List<Redispatch> toRedispatch(Duration pendingFor) {
        return db.pool().preparedQuery("SELECT job_id, tenant_id FROM jobs_to_redispatch(make_interval(secs => $1))")
                .execute(Tuple.of((double) pendingFor.toMillis() / 1000))
                .map(rows -> {
                    List<Redispatch> jobs = new ArrayList<>();
                    rows.forEach(row -> jobs.add(new Redispatch(row.getUUID("job_id"), row.getString("tenant_id"))));
                    return jobs;
                })
                .await().atMost(Duration.ofSeconds(30));
    }

    private Optional<Job> first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? Optional.empty() : Optional.of(toJob(rows.iterator().next()));
    }

    private Job toJob(Row row) {
        JobStatus status = JobStatus.valueOf(row.getString("status"));
        int documentsTotal = row.getInteger("documents_total");
        int documentsDone = row.getInteger("documents_done");
        int chunksTotal = row.getInteger("chunks_total");
        int chunksDone = row.getInteger("chunks_done");
        var progress = new Job.Progress(status.name(), documentsTotal, documentsDone, chunksTotal, chunksDone,
                percentage(status, documentsTotal, documentsDone, chunksTotal, chunksDone));
        return new Job(row.getUUID("id"), row.getString("tenant_id"), row.getString("source"),
                parse(row.getString("params")), status, progress, parse(row.getString("stages")),
                row.getInteger("documents_skipped"), row.getInteger("documents_failed"), row.getLong("tokens_embedded"),
                row.getBigDecimal("cost_usd"), parse(row.getString("errors")), row.getString("error"),
                row.getInteger("attempts"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"),
                row.getOffsetDateTime("started_at"), row.getOffsetDateTime("completed_at"));
    }

    /**
     * Share of the work done. Documents stream through the stages, so while the source is still FETCHING
     * the total is unknown and the share is that of the documents known so far, capped at half; once the
     * source is done the second half follows the chunks embedded (the costly part) and documents finished.
     */
    static int percentage(JobStatus status, int documentsTotal, int documentsDone, int chunksTotal, int chunksDone) {
        double chunks = chunksTotal == 0 ? 0 : (double) chunksDone / chunksTotal;
        double documents = documentsTotal == 0 ? 0 : (double) documentsDone / documentsTotal;
        double known = 0.85 * chunks + 0.15 * documents;
        double done = switch (status) {
            case PENDING -> 0;
            case FETCHING -> 0.5 * known;
            case CLEANING, CHUNKING, EMBEDDING, STORING -> 0.5 + 0.5 * known;
            case COMPLETED -> 1;
            case FAILED, CANCELLED -> known;
        };
        return (int) Math.round(Math.min(1, done) * 100);
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable JSON column", e);
        }
    }
}
