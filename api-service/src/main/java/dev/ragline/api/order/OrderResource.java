package dev.ragline.api.order;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.ragline.api.common.ApiProblem;
import dev.ragline.api.common.CurrentUser;
import dev.ragline.api.common.Roles;
import dev.ragline.api.pricing.CartRequest;
import io.smallrye.mutiny.Uni;

@Path("/v1/orders")
@Tag(name = "orders")
@RolesAllowed({ Roles.CUSTOMER, Roles.STAFF, Roles.ADMIN })
public class OrderResource {

    private static final String STATUSES = "pending|confirmed|preparing|ready|completed|cancelled";

    private final OrderService orders;
    private final CurrentUser caller;

    public OrderResource(OrderService orders, CurrentUser caller) {
        this.orders = orders;
        this.caller = caller;
    }

    public record StatusChange(@NotNull @Pattern(regexp = STATUSES, message = STATUSES) String status) {
    }

    @POST
    @APIResponse(responseCode = "201", description = "The order (or, for a repeated Idempotency-Key, the original response)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Order.class)))
    public Uni<Response> place(@HeaderParam("Idempotency-Key") String idempotencyKey, @Valid @NotNull CartRequest cart) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
            throw ApiProblem.badRequest("idempotency-key-required",
                    "The Idempotency-Key header (1 to 255 characters) is required");
        }
        return orders.place(caller.tenantId(), caller.userId(), idempotencyKey.trim(), cart)
                .map(placed -> Response.status(placed.status()).type(MediaType.APPLICATION_JSON).entity(placed.body())
                        .build());
    }

    @GET
    @Path("/{id}")
    public Uni<Order> get(UUID id) {
        return orders.get(caller.tenantId(), id, ownerScope());
    }

    @GET
    public Uni<OrderPage> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
            @QueryParam("status") @Pattern(regexp = STATUSES, message = STATUSES) String status) {
        return orders.list(caller.tenantId(), ownerScope(), status == null ? null : OrderStatus.fromWire(status), page, size);
    }

    @POST
    @Path("/{id}/cancel")
    public Uni<Order> cancel(UUID id) {
        return orders.cancel(caller.tenantId(), id, ownerScope());
    }

    @PATCH
    @Path("/{id}/status")
    @RolesAllowed({ Roles.STAFF, Roles.ADMIN })
    public Uni<Order> changeStatus(UUID id, @Valid @NotNull StatusChange change) {
        return orders.move(caller.tenantId(), id, null, OrderStatus.fromWire(change.status()));
    }

    /** Customers see only their own orders; staff and admins the whole tenant's. */
    private UUID ownerScope() {
        return caller.isStaff() ? null : caller.userId();
    }
}
