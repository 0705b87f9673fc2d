package dev.ragline.worker.security;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** The authenticated caller of a REST request, as its access token describes it. */
@RequestScoped
public class Caller {

    private final JsonWebToken token;

    Caller(JsonWebToken token) {
        this.token = token;
    }

    public UUID tenantId() {
        Object claim = token.getClaim("tenant_id");
        try {
            return UUID.fromString(String.valueOf(claim).replace("\"", ""));
        } catch (IllegalArgumentException e) {
            throw new jakarta.ws.rs.ForbiddenException("The access token names no tenant");
        }
    }

    public boolean isPlatformAdmin() {
        return token.getGroups().contains("platform_admin");
    }
}
