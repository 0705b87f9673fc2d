package dev.ragline.api.tenant;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import dev.ragline.api.common.Roles;
import io.smallrye.mutiny.Uni;

@Path("/v1/tenants")
@Tag(name = "tenants")
public class TenantResource {

    private final TenantService service;

    public TenantResource(TenantService service) {
        this.service = service;
    }

    public record CreateTenantRequest(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}", message = "lower-case letters, digits and dashes") String slug,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Email String adminEmail,
            @NotBlank @Size(min = 8, max = 200) String adminPassword) {
    }

    public record AdminView(UUID id, String email) {
    }

    public record TenantView(UUID id, String slug, String name, OffsetDateTime createdAt, AdminView admin) {
    }

    @POST
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    @ResponseStatus(201)
    public Uni<TenantView> create(@Valid @NotNull CreateTenantRequest request) {
        return service.create(request.slug(), request.name(), request.adminEmail(), request.adminPassword())
                .map(created -> new TenantView(created.tenant().id(), created.tenant().slug(), created.tenant().name(),
                        created.tenant().createdAt(), new AdminView(created.admin().id(), created.admin().email())));
    }
}
