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
        return UUID.fromString(token.<Object> getClaim("tenant_id").toString());
    }

    public UUID userId() {
        return UUID.fromString(token.<Object> getClaim("user_id").toString());
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
