package dev.ragline.api.promotion;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import dev.ragline.api.common.CurrentUser;
import dev.ragline.api.common.Roles;
import io.smallrye.mutiny.Uni;

@Path("/v1/promotions")
@Tag(name = "promotions")
@RolesAllowed(Roles.ADMIN)
public class PromotionResource {

    private final PromotionService promotions;
    private final CurrentUser caller;

    public PromotionResource(PromotionService promotions, CurrentUser caller) {
        this.promotions = promotions;
        this.caller = caller;
    }

    @GET
    public Uni<List<Promotion>> list() {
        return promotions.list(caller.tenantId());
    }

    @GET
    @Path("/{id}")
    public Uni<Promotion> get(UUID id) {
        return promotions.get(caller.tenantId(), id);
    }

    @POST
    @ResponseStatus(201)
    public Uni<Promotion> create(@Valid @NotNull PromotionDraft draft) {
        return promotions.create(caller.tenantId(), draft);
    }

    @PUT
    @Path("/{id}")
    public Uni<Promotion> replace(UUID id, @Valid @NotNull PromotionDraft draft) {
        return promotions.replace(caller.tenantId(), id, draft);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(UUID id) {
        return promotions.delete(caller.tenantId(), id);
    }
}
