package dev.ragline.api.common;

import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller, as the verified access token describes them. */
@RequestScoped
public class CurrentUser {

    private final JsonWebToken token;

    public CurrentUser(JsonWebToken token) {
        this.token = token;
    }

    public UUID tenantId() {
        return uuidClaim("tenant_id");
    }

    public UUID userId() {
        return uuidClaim("user_id");
    }

    /** A correctly signed token without the suite's claims is still not a valid RAGline token. */
    private UUID uuidClaim(String name) {
        Object value = token.getClaim(name);
        try {
            return UUID.fromString(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.unauthorized("The access token has no valid " + name + " claim");
        }
    }

    public Set<String> roles() {
        return token.getGroups();
    }

    /** Staff and admins act on the whole tenant; customers only on what is theirs. */
    public boolean isStaff() {
        Set<String> roles = roles();
        return roles.contains(Roles.STAFF) || roles.contains(Roles.ADMIN);
    }
}
