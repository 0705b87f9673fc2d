package dev.ragline.ingest.search.rest;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.ragline.ingest.common.CurrentTenant;
import dev.ragline.ingest.search.SearchRequest;
import dev.ragline.ingest.search.SearchService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** Retrieval over the caller's tenant's documents; the chat service calls it with the user's token. */
@Path("/api/v1/search")
@Authenticated
public class SearchResource {

    private final SearchService search;
    private final CurrentTenant tenant;

    SearchResource(SearchService search, CurrentTenant tenant) {
        this.search = search;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> search(@NotNull @Valid SearchRequest request) {
        // Runs on the event loop: the query embedding has its own pool and the database client is
        // non-blocking, so a search holds no worker thread while it waits.
        return search.search(tenant.id(), request).map(
                results -> Map.of("query", request.query(), "mode", request.modeOrDefault().name(), "results", results));
    }
}
