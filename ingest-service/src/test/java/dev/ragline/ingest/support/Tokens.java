package dev.ragline.ingest.support;

import java.util.Set;
import java.util.UUID;

import io.smallrye.jwt.build.Jwt;

/** Tokens as api-service issues them, signed with the dev private key. */
public final class Tokens {

    public static String staffOf(String tenant) {
        return token(tenant, "staff");
    }

    public static String customerOf(String tenant) {
        return token(tenant, "customer");
    }

    public static String token(String tenant, String role) {
        String user = UUID.randomUUID().toString();
        return Jwt.issuer("https://ragline.dev").subject(user).upn(role + "@" + tenant + ".example")
                .claim("tenant_id", tenant).claim("user_id", user).claim("roles", Set.of(role)).groups(Set.of(role))
                .expiresIn(1800).sign();
    }

    /** A tenant id no other test run uses, so tests never see each other's documents. */
    public static String newTenant(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Tokens() {
    }
}
