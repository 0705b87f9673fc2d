package dev.ragline.worker.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Set;
import java.util.UUID;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/** Access tokens as api-service issues them, signed with the dev private key. */
public final class Tokens {

    private static PrivateKey key;

    public static String of(UUID tenantId, String... roles) {
        UUID userId = UUID.randomUUID();
        return Jwt.issuer("https://ragline.dev")
                .subject(userId.toString())
                .upn(roles[0] + "@" + tenantId + ".test")
                .claim("tenant_id", tenantId.toString())
                .claim("user_id", userId.toString())
                .claim("roles", Set.of(roles))
                .groups(Set.of(roles))
                .expiresIn(1800)
                .sign(privateKey());
    }

    public static String bearer(UUID tenantId, String... roles) {
        return "Bearer " + of(tenantId, roles);
    }

    private static synchronized PrivateKey privateKey() {
        if (key == null) {
            try {
                key = KeyUtils.decodePrivateKey(Files.readString(Path.of("../.ragline/keys/jwt-private.pem")));
            } catch (Exception e) {
                throw new IllegalStateException("The dev private key is missing; ./ragline test generates it", e);
            }
        }
        return key;
    }

    private Tokens() {
    }
}
