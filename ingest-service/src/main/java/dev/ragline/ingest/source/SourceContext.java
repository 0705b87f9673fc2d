package dev.ragline.ingest.source;

import java.util.List;
import java.util.UUID;

import dev.ragline.ingest.job.repository.JobRepository.StoredFile;

/** What a source may use while it fetches one job's documents. */
public interface SourceContext {

    UUID jobId();

    String tenantId();

    /** Files uploaded with the job. */
    List<StoredFile> uploadedFiles();

    void emit(RawDocument document);

    void documentFailed(String sourceId, String reason);

    /** Throws when the job was cancelled or taken over, so a long fetch stops promptly. */
    void checkpoint();
}
