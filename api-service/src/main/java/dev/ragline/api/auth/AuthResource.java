package dev.ragline.api.auth;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import io.smallrye.mutiny.Uni;

@Path("/v1/auth")
@Tag(name = "auth")
public class AuthResource {

    private final AuthService auth;
    private final StreamSessionIssuer streamSessions;
    private final JsonWebToken token;

    public AuthResource(AuthService auth, StreamSessionIssuer streamSessions, JsonWebToken token) {
        this.auth = auth;
        this.streamSessions = streamSessions;
        this.token = token;
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

    @POST
    @Path("/stream-session")
    @RolesAllowed({ "customer", "staff", "admin", "platform_admin" })
    @Operation(summary = "Sets the ragline_stream cookie (HttpOnly, SameSite=Strict) that opens the order and job "
            + "progress streams from a browser's EventSource")
    @APIResponse(responseCode = "204", description = "The cookie is set")
    public Response openStreamSession() {
        return Response.noContent().cookie(streamSessions.cookieFor(token)).build();
    }

    @DELETE
    @Path("/stream-session")
    @PermitAll
    @Operation(summary = "Clears the ragline_stream cookie (sign-out)")
    @APIResponse(responseCode = "204", description = "The cookie is cleared")
    public Response closeStreamSession() {
        return Response.noContent().cookie(streamSessions.cleared()).build();
    }
}
