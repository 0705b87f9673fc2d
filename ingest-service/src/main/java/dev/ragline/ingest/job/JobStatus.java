package dev.ragline.ingest.job;

import java.util.EnumSet;
import java.util.Set;

public enum JobStatus {
    PENDING,
    FETCHING,
    CLEANING,
    CHUNKING,
    EMBEDDING,
    STORING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public static final Set<JobStatus> RUNNING = EnumSet.of(FETCHING, CLEANING, CHUNKING, EMBEDDING, STORING);
    public static final Set<JobStatus> FINISHED = EnumSet.of(COMPLETED, FAILED, CANCELLED);

    public boolean finished() {
        return FINISHED.contains(this);
    }
}
