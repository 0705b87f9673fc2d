package dev.ragline.api.catalog;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import dev.ragline.api.common.CurrentUser;
import dev.ragline.api.common.Roles;
import io.smallrye.mutiny.Uni;

@Path("/v1/products")
@Tag(name = "products")
@RolesAllowed({ Roles.CUSTOMER, Roles.STAFF, Roles.ADMIN })
public class ProductResource {

    private final ProductService products;
    private final CurrentUser caller;

    public ProductResource(ProductService products, CurrentUser caller) {
        this.products = products;
        this.caller = caller;
    }

    @GET
    public Uni<ProductPage> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
            @QueryParam("q") String q, @QueryParam("category") String category, @QueryParam("tag") String tag,
            @QueryParam("max_price") @DecimalMin("0") BigDecimal maxPrice) {
        return products.list(caller.tenantId(), new ProductQuery(page, size, blankToNull(q), blankToNull(category),
                blankToNull(tag), maxPrice));
    }

    @GET
    @Path("/{id}")
    public Uni<Product> get(UUID id) {
        return products.get(caller.tenantId(), id);
    }

    @POST
    @RolesAllowed({ Roles.STAFF, Roles.ADMIN })
    @ResponseStatus(201)
    public Uni<Product> create(@Valid @NotNull ProductDraft draft) {
        return products.create(caller.tenantId(), draft);
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({ Roles.STAFF, Roles.ADMIN })
    public Uni<Product> replace(UUID id, @Valid @NotNull ProductDraft draft) {
        return products.replace(caller.tenantId(), id, draft);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.STAFF, Roles.ADMIN })
    @ResponseStatus(204)
    public Uni<Void> delete(UUID id) {
        return products.delete(caller.tenantId(), id);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
