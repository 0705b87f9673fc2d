package dev.ragline.api.auth;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.Subject;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A verified access token that remembers the claims it was asked for. SmallRye JWT looks every claim name up as a
 * {@code Claims} constant first, and a custom one ({@code tenant_id}, {@code user_id}) is not one, so each read
 * threw and caught an exception (with the stack trace of a reactive call chain): three per order. A token's claims
 * never change, and {@link VerifiedTokenCache} hands out the same instance for the same token string, so each
 * claim is looked up once per token instead of once per read.
 */
final class VerifiedToken implements JsonWebToken {

    private final JsonWebToken verified;
    private final ConcurrentHashMap<String, Optional<Object>> claims = new ConcurrentHashMap<>();

    VerifiedToken(JsonWebToken verified) {
        this.verified = verified;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
        return (T) claims.computeIfAbsent(claimName, name -> Optional.ofNullable(verified.getClaim(name))).orElse(null);
    }

    @Override
    public Set<String> getClaimNames() {
        return verified.getClaimNames();
    }

    @Override
    public String getName() {
        return verified.getName();
    }

    @Override
    public Set<String> getGroups() {
        return verified.getGroups();
    }

    @Override
    public Set<String> getAudience() {
        return verified.getAudience();
    }

    @Override
    public boolean implies(Subject subject) {
        return verified.implies(subject);
    }

    @Override
    public String toString() {
        return verified.toString();
    }
}
