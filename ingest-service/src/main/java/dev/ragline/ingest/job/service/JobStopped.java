package dev.ragline.ingest.job.service;

/** Thrown at a checkpoint when the job was cancelled or another instance took it over. */
public class JobStopped extends RuntimeException {
    public JobStopped(String reason) {
        super(reason, null, false, false);
    }
}
