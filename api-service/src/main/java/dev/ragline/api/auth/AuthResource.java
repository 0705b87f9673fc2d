package dev.ragline.api.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;

@Path("/v1/auth")
@Tag(name = "auth")
public class AuthResource {

    private final AuthService auth;

    public AuthResource(AuthService auth) {
        this.auth = auth;
    }

    public record LoginRequest(@NotBlank String tenant, @NotBlank String email, @NotBlank String password) {
    }

    public record RefreshRequest(@NotBlank String refreshToken) {
    }

    @POST
    @Path("/login")
    public Uni<TokenResponse> login(@Valid @NotNull LoginRequest request) {
        return auth.login(request.tenant(), request.email(), request.password());
    }

    @POST
    @Path("/refresh")
    public Uni<TokenResponse> refresh(@Valid @NotNull RefreshRequest request) {
        return auth.refresh(request.refreshToken());
    }

    @POST
    @Path("/logout")
    @ResponseStatus(204)
    public Uni<Void> logout(@Valid @NotNull RefreshRequest request) {
        return auth.logout(request.refreshToken());
    }
}
