package dev.ragline.ingest.job.service;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.job.Job;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * A job's progress as it changes: its state now, then its state after each committed change that moved
 * it, ending with its first finished state. Driven by {@link JobChanges}, so it works whichever instance
 * runs the job.
 */
@ApplicationScoped
public class JobProgress {

    private final JobService jobs;
    private final JobChanges changes;

    JobProgress(JobService jobs, JobChanges changes) {
        this.jobs = jobs;
        this.changes = changes;
    }

    /** {@code current} is the job as the caller just read it (which also checked the caller may see it). */
    public Multi<Job> follow(String tenantId, Job current) {
        UUID jobId = current.jobId();
        if (current.status().finished()) {
            return Multi.createFrom().item(current);
        }
        return Multi.createFrom().emitter(emitter -> {
            AtomicReference<String> lastSent = new AtomicReference<>(version(current));
            emitter.emit(current);
            // Listening starts before the job is read again, so no change between the two reads is missed.
            Cancellable listening = Multi.createBy().merging()
                    .streams(changes.of(jobId), Multi.createFrom().item(jobId))
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe().with(change -> {
                        Job job = jobs.get(tenantId, jobId);
                        if (!version(job).equals(lastSent.getAndSet(version(job)))) {
                            emitter.emit(job);
                        }
                        if (job.status().finished()) {
                            emitter.complete();
                        }
                    }, emitter::fail, emitter::complete);
            emitter.onTermination(listening::cancel);
        });
    }

    /** What a client can see change: renewing a lease, say, is not progress. */
    private static String version(Job job) {
        return job.status() + "/" + job.updatedAt();
    }
}
