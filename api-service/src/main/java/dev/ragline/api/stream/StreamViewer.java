package dev.ragline.api.stream;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is watching a stream, and therefore which order events they may see, until their access
 * token expires (a stream does not outlive the token that opened it).
 */
public record StreamViewer(UUID tenantId, UUID userId, boolean seesWholeTenant, Instant tokenExpiresAt) {

    private static final Set<String> TENANT_WIDE_ROLES = Set.of("staff", "admin", "platform_admin");

    /** The viewer an access token describes; empty when it lacks the tenant or user it must carry. */
    public static Optional<StreamViewer> of(JsonWebToken token) {
        UUID tenant = uuidOrNull(token.getClaim("tenant_id"));
        UUID user = uuidOrNull(token.getClaim("user_id"));
        if (tenant == null || user == null) {
            return Optional.empty();
        }
        boolean tenantWide = token.getGroups().stream().anyMatch(TENANT_WIDE_ROLES::contains);
        return Optional.of(new StreamViewer(tenant, user, tenantWide, Instant.ofEpochSecond(token.getExpirationTime())));
    }

    /** Customers see their own orders; staff and admins every order of their tenant; nobody another tenant's. */
    public boolean canSee(OrderStreamEvent event) {
        return tenantId.equals(event.tenantId()) && (seesWholeTenant || userId.equals(event.userId()));
    }

    public boolean tokenExpiredAt(Instant now) {
        return !now.isBefore(tokenExpiresAt);
    }

    private static UUID uuidOrNull(Object claim) {
        if (claim == null) {
            return null;
        }
        String text = claim instanceof JsonString json ? json.getString() : claim.toString();
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
