package dev.ragline.llm.common;

import java.util.UUID;

/**
 * Who is chatting: taken from the verified access token only, so nothing a model or a request body
 * says can change the tenant or user a tool acts for. {@code bearerToken} is forwarded to api-service.
 */
public record Caller(UUID tenantId, String userId, String bearerToken) {

    @Override
    public String toString() {
        return "Caller[tenant=" + tenantId + ", user=" + userId + "]";
    }
}
