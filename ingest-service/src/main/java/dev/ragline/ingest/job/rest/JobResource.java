package dev.ragline.ingest.job.rest;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.common.CurrentTenant;
import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.job.Job;
import dev.ragline.ingest.job.JobStatus;
import dev.ragline.ingest.job.repository.JobRepository;
import dev.ragline.ingest.job.service.JobProgress;
import dev.ragline.ingest.job.service.JobService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/** The jobs API of the seed: submit (JSON or multipart upload), read, list, cancel, retry, follow. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ "staff", "admin", "platform_admin" })
public class JobResource {

    private final JobService jobs;
    private final JobProgress progress;
    private final CurrentTenant tenant;
    private final ObjectMapper json;

    JobResource(JobService jobs, JobProgress progress, CurrentTenant tenant, ObjectMapper json) {
        this.jobs = jobs;
        this.progress = progress;
        this.tenant = tenant;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(JsonNode body) {
        return accepted(jobs.submit(tenant.id(), body));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@RestForm String source, @RestForm("chunk_size") Integer chunkSize,
            @RestForm("chunk_overlap") Integer chunkOverlap, @RestForm("file") List<FileUpload> files) throws IOException {
        ObjectNode params = json.createObjectNode();
        if (chunkSize != null) {
            params.put("chunk_size", chunkSize);
        }
        if (chunkOverlap != null) {
            params.put("chunk_overlap", chunkOverlap);
        }
        List<JobService.Upload> uploads = new ArrayList<>();
        for (FileUpload file : files == null ? List.<FileUpload> of() : files) {
            uploads.add(new JobService.Upload(file.fileName(), Files.readAllBytes(file.uploadedFile())));
        }
        return accepted(jobs.submit(tenant.id(), source, params, uploads));
    }

    private static Response accepted(Job job) {
        return Response.accepted(job).location(URI.create("/api/v1/jobs/" + job.jobId())).build();
    }

    @GET
    public Map<String, Object> list(@QueryParam("page") @DefaultValue("1") @Min(1) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size, @QueryParam("status") String status) {
        JobRepository.Page found = jobs.list(tenant.id(), parseStatus(status), page - 1, size);
        return Map.of("items", found.items(), "page", page, "size", size, "total", found.total());
    }

    private static Optional<JobStatus> parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JobStatus.valueOf(status.trim().toUpperCase()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("status must be one of " + List.of(JobStatus.values()));
        }
    }

    @GET
    @Path("{jobId}")
    public Job get(String jobId) {
        return jobs.get(tenant.id(), parseId(jobId));
    }

    @POST
    @Path("{jobId}/cancel")
    public Job cancel(String jobId) {
        return jobs.cancel(tenant.id(), parseId(jobId));
    }

    @POST
    @Path("{jobId}/retry")
    public Response retry(String jobId) {
        return accepted(jobs.retry(tenant.id(), parseId(jobId)));
    }

    /** Progress as server-sent events, as the job changes, whichever instance runs it. */
    @GET
    @Path("{jobId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<Job> events(String jobId) {
        String tenantId = tenant.id();
        return progress.follow(tenantId, jobs.get(tenantId, parseId(jobId)));
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("job " + id);
        }
    }
}
