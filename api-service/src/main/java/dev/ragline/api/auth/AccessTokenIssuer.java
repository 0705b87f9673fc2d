package dev.ragline.api.auth;

import java.util.HashSet;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.user.User;
import io.smallrye.jwt.build.Jwt;

/** Signs the RS256 access tokens every RAGline service verifies with the public key. */
@ApplicationScoped
public class AccessTokenIssuer {

    private final AuthConfig config;

    public AccessTokenIssuer(AuthConfig config) {
        this.config = config;
    }

    public String issue(User user) {
        List<String> roles = user.roles();
        return Jwt.issuer(config.issuer())
                .subject(user.id().toString())
                .upn(user.email())
                .groups(new HashSet<>(roles))
                .claim("roles", roles)
                .claim("tenant_id", user.tenantId().toString())
                .claim("user_id", user.id().toString())
                .expiresIn(config.accessTokenTtl())
                .jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign();
    }

    public long ttlSeconds() {
        return config.accessTokenTtl().toSeconds();
    }
}
