package dev.ragline.llm.support;

import java.util.List;
import java.util.UUID;

import io.smallrye.jwt.build.Jwt;

/** Access tokens as api-service signs them, made with the dev private key of the worktree. */
public final class Tokens {

    public record User(UUID tenantId, String userId, String token) {
    }

    public static User customerOf(UUID tenantId) {
        String userId = UUID.randomUUID().toString();
        return new User(tenantId, userId, sign(tenantId, userId, "customer"));
    }

    public static User staffOf(UUID tenantId) {
        String userId = UUID.randomUUID().toString();
        return new User(tenantId, userId, sign(tenantId, userId, "staff"));
    }

    /** A customer token whose expiry passed an hour ago, otherwise genuine. */
    public static String expiredCustomerOf(UUID tenantId) {
        String userId = UUID.randomUUID().toString();
        return Jwt.issuer("https://ragline.dev")
                .subject(userId)
                .claim("tenant_id", tenantId.toString())
                .claim("user_id", userId)
                .groups(java.util.Set.of("customer"))
                .issuedAt(java.time.Instant.now().minusSeconds(7200))
                .expiresAt(java.time.Instant.now().minusSeconds(3600))
                .jws().keyId("ragline-dev")
                .sign(readPrivateKey());
    }

    private static String sign(UUID tenantId, String userId, String role) {
        return Jwt.issuer("https://ragline.dev")
                .subject(userId)
                .upn(userId + "@test.ragline")
                .claim("tenant_id", tenantId.toString())
                .claim("user_id", userId)
                .groups(java.util.Set.copyOf(List.of(role)))
                .claim("roles", List.of(role))
                .expiresIn(1800)
                .jws().keyId("ragline-dev")
                .sign(readPrivateKey());
    }

    private static java.security.PrivateKey readPrivateKey() {
        try {
            String pem = java.nio.file.Files.readString(java.nio.file.Path.of("../.ragline/keys/jwt-private.pem"));
            return io.smallrye.jwt.util.KeyUtils.decodePrivateKey(pem);
        } catch (Exception e) {
            throw new IllegalStateException("The dev JWT private key is missing; run ./ragline test once", e);
        }
    }

    private Tokens() {
    }
}
