package dev.ragline.ingest.common;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ForbiddenException;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** The tenant of the caller, from the tenant_id claim of the verified JWT. */
@RequestScoped
public class CurrentTenant {

    private final JsonWebToken token;

    CurrentTenant(JsonWebToken token) {
        this.token = token;
    }

    public String id() {
        Object claim = token.getClaim("tenant_id");
        String tenant = claim == null ? null : claim.toString().replace("\"", "");
        if (tenant == null || tenant.isBlank()) {
            throw new ForbiddenException("The token carries no tenant_id");
        }
        return tenant;
    }
}
