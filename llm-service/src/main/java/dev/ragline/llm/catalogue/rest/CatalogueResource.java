package dev.ragline.llm.catalogue.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.ragline.llm.catalogue.service.CatalogueRebuild;
import dev.ragline.llm.common.CallerResolver;
import io.smallrye.common.annotation.Blocking;

/** Staff re-index their own tenant's catalogue from api-service. */
@Path("/v1/catalogue")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogueResource {

    private final CatalogueRebuild rebuild;
    private final CallerResolver callers;
    private final JsonWebToken token;

    CatalogueResource(CatalogueRebuild rebuild, CallerResolver callers, JsonWebToken token) {
        this.rebuild = rebuild;
        this.callers = callers;
        this.token = token;
    }

    @POST
    @Path("/rebuild")
    @Blocking
    @RolesAllowed({ "staff", "admin", "platform_admin" })
    public CatalogueRebuild.Result rebuild() {
        return rebuild.rebuild(callers.of(token));
    }
}
