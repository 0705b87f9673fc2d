package dev.ragline.llm.common;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ForbiddenException;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Turns a verified JWT into the {@link Caller} every chat and tool call acts as. */
@ApplicationScoped
public class CallerResolver {

    public Caller of(JsonWebToken token) {
        Object tenant = token.getClaim("tenant_id");
        Object user = token.getClaim("user_id");
        String userId = user != null ? user.toString() : token.getSubject();
        if (tenant == null || userId == null) {
            throw new ForbiddenException("The access token names no tenant or user");
        }
        try {
            return new Caller(UUID.fromString(tenant.toString().replace("\"", "")), userId.replace("\"", ""),
                    token.getRawToken());
        } catch (IllegalArgumentException e) {
            throw new ForbiddenException("The access token's tenant_id is not a UUID");
        }
    }
}
