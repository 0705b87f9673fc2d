package dev.ragline.llm.tools.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** ingest-service's search as search_documents uses it, always with the caller's own bearer token. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface IngestServiceClient {

    /** {@code {query, top_k, filters?, mode?}} → {@code {query, mode, results: [{chunk_id, score, text, ...}]}}. */
    @POST
    @Path("/search")
    Uni<Response> search(@HeaderParam("Authorization") String authorization, JsonNode request);
}
