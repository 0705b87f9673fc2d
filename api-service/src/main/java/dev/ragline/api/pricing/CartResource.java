package dev.ragline.api.pricing;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ragline.api.common.CurrentUser;
import dev.ragline.api.common.Roles;
import io.smallrye.mutiny.Uni;

@Path("/v1/carts")
@Tag(name = "carts")
public class CartResource {

    private final CartPricer pricer;
    private final CurrentUser caller;

    public CartResource(CartPricer pricer, CurrentUser caller) {
        this.pricer = pricer;
        this.caller = caller;
    }

    @POST
    @Path("/price")
    @RolesAllowed({ Roles.CUSTOMER, Roles.STAFF, Roles.ADMIN })
    public Uni<PricedCart> price(@Valid @NotNull CartRequest cart) {
        return pricer.quote(caller.tenantId(), cart);
    }
}
