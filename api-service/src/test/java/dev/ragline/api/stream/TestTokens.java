package dev.ragline.api.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/** Access tokens as api-service's login issues them, signed with the dev private key. */
final class TestTokens {

    private static final Path PRIVATE_KEY = Path.of("../.ragline/keys/jwt-private.pem");

    static String of(UUID tenant, UUID user, String role) {
        return of(tenant, user, role, 1800);
    }

    static String of(UUID tenant, UUID user, String role, long expiresInSeconds) {
        return Jwt.issuer("https://ragline.dev")
                .subject(user.toString())
                .upn(role + "@" + tenant + ".test")
                .claim("tenant_id", tenant.toString())
                .claim("user_id", user.toString())
                .claim("roles", List.of(role))
                .groups(Set.of(role))
                .expiresIn(expiresInSeconds)
                .sign(privateKey());
    }

    /** A stream session as POST /v1/auth/stream-session signs it, expiring at {@code expiresAt} (epoch seconds). */
    static String streamSession(UUID tenant, UUID user, String role, long expiresAt) {
        return Jwt.issuer("https://ragline.dev/stream-session")
                .audience("ragline-stream")
                .subject(user.toString())
                .upn(role + "@" + tenant + ".test")
                .claim("tenant_id", tenant.toString())
                .claim("user_id", user.toString())
                .claim("roles", List.of(role))
                .groups(Set.of(role))
                .issuedAt(expiresAt - 900)
                .expiresAt(expiresAt)
                .sign(privateKey());
    }

    private static PrivateKey privateKey() {
        try {
            return KeyUtils.decodePrivateKey(Files.readString(PRIVATE_KEY));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the dev JWT private key " + PRIVATE_KEY.toAbsolutePath(), e);
        }
    }

    private TestTokens() {
    }
}
