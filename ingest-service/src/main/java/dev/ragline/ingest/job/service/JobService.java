package dev.ragline.ingest.job.service;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.job.Job;
import dev.ragline.ingest.job.JobStatus;
import dev.ragline.ingest.job.repository.JobRepository;
import dev.ragline.ingest.job.repository.JobRepository.NewFile;
import dev.ragline.ingest.source.SecretSealer;
import dev.ragline.ingest.source.Source;
import dev.ragline.ingest.source.Sources;
import dev.ragline.ingest.source.file.FileUploadSource;
import dev.ragline.ingest.source.file.UploadFormats;

/** Accepts jobs (stored first, then published), and cancels or retries them. */
@ApplicationScoped
public class JobService {

    private final JobRepository jobs;
    private final JobDispatcher dispatcher;
    private final Sources sources;
    private final UploadFormats formats;
    private final IngestConfig config;
    private final SecretSealer sealer;

    JobService(JobRepository jobs, JobDispatcher dispatcher, Sources sources, UploadFormats formats,
            IngestConfig config, SecretSealer sealer) {
        this.sealer = sealer;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.sources = sources;
        this.formats = formats;
        this.config = config;
    }

    /** A file received with a job, before it was checked. */
    public record Upload(String filename, byte[] content) {
    }

    /** A job from a JSON body: {@code {source, ...params}}; file_upload may inline its files there. */
    public Job submit(String tenantId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object with a source");
        }
        ObjectNode params = ((ObjectNode) body).deepCopy();
        String source = params.path("source").asText(null);
        params.remove("source");
        List<Upload> uploads = new ArrayList<>();
        if (FileUploadSource.NAME.equals(source)) {
            uploads = inlineFiles(params.remove("files"));
        }
        return submit(tenantId, source, params, uploads);
    }

    public Job submit(String tenantId, String sourceName, ObjectNode params, List<Upload> uploads) {
        Source source = sources.named(sourceName);
        validateChunking(params);
        List<NewFile> files = List.of();
        if (FileUploadSource.NAME.equals(source.name())) {
            files = checkUploads(uploads);
            ArrayNode described = params.putArray("files");
            files.forEach(file -> described.addObject().put("filename", file.filename())
                    .put("media_type", file.mediaType()).put("size_bytes", file.content().length));
        } else if (!uploads.isEmpty()) {
            throw ProblemException.badRequest("files are only accepted with source file_upload");
        }
        ObjectNode validated = source.validate(params);
        UUID jobId = UUID.randomUUID();
        ObjectNode redacted = source.redact(validated);
        byte[] sealed = redacted.equals(validated) ? null : sealer.seal(jobId, validated.toString());
        Job job = jobs.create(tenantId, jobId, source.name(), redacted, sealed, files);
        dispatcher.dispatch(tenantId, jobId);
        return job;
    }

    private void validateChunking(ObjectNode params) {
        JsonNode size = params.path("chunk_size");
        JsonNode overlap = params.path("chunk_overlap");
        if (!size.isMissingNode() && (!size.isInt() || size.asInt() < config.chunking().minSize() || size.asInt() > 8192)) {
            throw ProblemException.badRequest("chunk_size must be an integer from " + config.chunking().minSize()
                    + " to 8192");
        }
        int effectiveSize = size.asInt(config.chunking().size());
        if (!overlap.isMissingNode() && (!overlap.isInt() || overlap.asInt() < 0 || overlap.asInt() >= effectiveSize)) {
            throw ProblemException.badRequest("chunk_overlap must be an integer from 0 to below chunk_size");
        }
    }

    private List<Upload> inlineFiles(JsonNode files) {
        if (files == null || !files.isArray()) {
            throw ProblemException.badRequest("files must be a list of {filename, content | content_base64}");
        }
        List<Upload> uploads = new ArrayList<>();
        for (JsonNode file : files) {
            String filename = file.path("filename").asText("");
            if (filename.isBlank()) {
                throw ProblemException.badRequest("files[].filename is required");
            }
            byte[] content;
            if (file.hasNonNull("content_base64")) {
                try {
                    content = Base64.getDecoder().decode(file.get("content_base64").asText());
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest("files[].content_base64 of " + filename + " is not base64");
                }
            } else if (file.path("content").isTextual()) {
                content = file.get("content").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                throw ProblemException.badRequest("files[].content or content_base64 is required for " + filename);
            }
            uploads.add(new Upload(filename, content));
        }
        return uploads;
    }

    private List<NewFile> checkUploads(List<Upload> uploads) {
        var limits = config.upload();
        if (uploads.isEmpty()) {
            throw ProblemException.badRequest("file_upload needs at least one file");
        }
        if (uploads.size() > limits.maxFiles()) {
            throw ProblemException.badRequest("at most " + limits.maxFiles() + " files per job");
        }
        long total = 0;
        List<NewFile> files = new ArrayList<>();
        for (Upload upload : uploads) {
            if (upload.content().length > limits.maxFileBytes()) {
                throw tooLarge(upload.filename() + " is larger than " + limits.maxFileBytes() + " bytes");
            }
            total += upload.content().length;
            if (total > limits.maxJobBytes()) {
                throw tooLarge("the files of one job may total at most " + limits.maxJobBytes() + " bytes");
            }
            if (upload.content().length == 0) {
                throw ProblemException.badRequest(upload.filename() + " is empty");
            }
            String mediaType = formats.supportedMediaType(upload.filename(), upload.content())
                    .orElseThrow(() -> new ProblemException(415, "unsupported-file-type", "Unsupported file type",
                            upload.filename() + " is not one of the supported formats: " + formats.supportedList()));
            files.add(new NewFile(upload.filename(), mediaType, upload.content()));
        }
        return files;
    }

    public Job get(String tenantId, UUID jobId) {
        return jobs.find(tenantId, jobId).orElseThrow(() -> ProblemException.notFound("job " + jobId));
    }

    public JobRepository.Page list(String tenantId, Optional<JobStatus> status, int page, int size) {
        return jobs.list(tenantId, status, page, size);
    }

    public Job cancel(String tenantId, UUID jobId) {
        return jobs.cancel(tenantId, jobId).orElseGet(() -> {
            Job job = get(tenantId, jobId);
            throw ProblemException.conflict("job " + jobId + " is already " + job.status());
        });
    }

    public Job retry(String tenantId, UUID jobId) {
        Job job = jobs.retry(tenantId, jobId).orElseGet(() -> {
            Job current = get(tenantId, jobId);
            throw ProblemException.conflict("only FAILED or CANCELLED jobs can be retried; job " + jobId + " is "
                    + current.status());
        });
        dispatcher.dispatch(tenantId, jobId);
        return job;
    }

    private static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "file-too-large", "File too large", detail);
    }
}
