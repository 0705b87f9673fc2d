package dev.ragline.api.user;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import dev.ragline.api.common.CurrentUser;
import dev.ragline.api.common.Roles;
import io.smallrye.mutiny.Uni;

@Path("/v1/users")
@Tag(name = "users")
public class UserResource {

    private final UserService service;
    private final CurrentUser caller;

    public UserResource(UserService service, CurrentUser caller) {
        this.service = service;
        this.caller = caller;
    }

    public record CreateUserRequest(
            @NotBlank @Email String email,
            @NotBlank @Size(min = 8, max = 200) String password,
            @NotEmpty List<@NotNull @Pattern(regexp = "customer|staff|admin", message = "customer, staff or admin") String> roles) {
    }

    public record UserView(UUID id, UUID tenantId, String email, List<String> roles, OffsetDateTime createdAt) {
        static UserView of(User user) {
            return new UserView(user.id(), user.tenantId(), user.email(), user.roles(), user.createdAt());
        }
    }

    /** A tenant admin adds staff, customers or further admins to their own tenant. */
    @POST
    @RolesAllowed(Roles.ADMIN)
    @ResponseStatus(201)
    public Uni<UserView> create(@Valid @NotNull CreateUserRequest request) {
        return service.create(caller.tenantId(), request.email(), request.password(), request.roles()).map(UserView::of);
    }

    @GET
    @Path("/me")
    @RolesAllowed({ Roles.CUSTOMER, Roles.STAFF, Roles.ADMIN, Roles.PLATFORM_ADMIN })
    public Uni<UserView> me() {
        return service.find(caller.tenantId(), caller.userId()).map(UserView::of);
    }
}
