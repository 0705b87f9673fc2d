package dev.ragline.ingest.document.rest;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.ragline.ingest.common.CurrentTenant;
import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.document.StoredDocument;
import dev.ragline.ingest.document.repository.DocumentRepository;

/** The tenant's ingested documents: list, read, delete (with their chunks). */
@Path("/api/v1/documents")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ "staff", "admin", "platform_admin" })
public class DocumentResource {

    private final DocumentRepository documents;
    private final CurrentTenant tenant;

    DocumentResource(DocumentRepository documents, CurrentTenant tenant) {
        this.documents = documents;
        this.tenant = tenant;
    }

    @GET
    public Map<String, Object> list(@QueryParam("page") @DefaultValue("1") @Min(1) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size, @QueryParam("source") String source) {
        DocumentRepository.Page found = documents.list(tenant.id(), Optional.ofNullable(source).filter(s -> !s.isBlank()),
                page - 1, size);
        return Map.of("items", found.items(), "page", page, "size", size, "total", found.total());
    }

    @GET
    @Path("{documentId}")
    public StoredDocument get(String documentId) {
        return documents.find(tenant.id(), parseId(documentId))
                .orElseThrow(() -> ProblemException.notFound("document " + documentId));
    }

    @DELETE
    @Path("{documentId}")
    public Response delete(String documentId) {
        if (!documents.delete(tenant.id(), parseId(documentId))) {
            throw ProblemException.notFound("document " + documentId);
        }
        return Response.noContent().build();
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("document " + id);
        }
    }
}
