package dev.ragline.api.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.common.Sha256;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Opaque refresh tokens "{tenant id}.{random}": the tenant prefix selects the row-level-security
 * scope, the random part is the secret. Only its SHA-256 is stored.
 */
@ApplicationScoped
public class RefreshTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthConfig config;

    public RefreshTokens(AuthConfig config) {
        this.config = config;
    }

    public record StoredToken(UUID id, UUID userId, UUID familyId, boolean used, boolean revoked, boolean expired) {
    }

    /** The tenant a presented token claims to belong to, if it is well-formed at all. */
    public static Optional<UUID> tenantOf(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(token.substring(0, dot)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Issues a token of the given family (a new family on login) and returns its plain text. */
    public Uni<String> issue(SqlConnection tx, UUID tenantId, UUID userId, UUID familyId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = tenantId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return tx.preparedQuery("""
                INSERT INTO refresh_tokens (id, tenant_id, user_id, family_id, token_hash, expires_at)
                VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))""")
                .execute(Tuple.of(UUID.randomUUID(), tenantId, userId, familyId, hash(token),
                        config.refreshTokenTtl().toSeconds()))
                .replaceWith(token);
    }

    /** Locks the presented token's row so two refreshes with one token cannot both succeed. */
    public Uni<Optional<StoredToken>> findForUpdate(SqlConnection tx, UUID tenantId, String token) {
        return tx.preparedQuery("""
                SELECT id, user_id, family_id, used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked,
                       expires_at <= now() AS expired
                FROM refresh_tokens WHERE tenant_id = $1 AND token_hash = $2 FOR UPDATE""")
                .execute(Tuple.of(tenantId, hash(token)))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new StoredToken(row.getUUID("id"), row.getUUID("user_id"), row.getUUID("family_id"),
                            row.getBoolean("used"), row.getBoolean("revoked"), row.getBoolean("expired")));
                });
    }

    public Uni<Void> markUsed(SqlConnection tx, UUID tenantId, UUID id) {
        return tx.preparedQuery("UPDATE refresh_tokens SET used_at = now() WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenantId, id)).replaceWithVoid();
    }

    public Uni<Void> revokeFamily(SqlConnection tx, UUID tenantId, UUID familyId) {
        return tx.preparedQuery(
                "UPDATE refresh_tokens SET revoked_at = now() WHERE tenant_id = $1 AND family_id = $2 AND revoked_at IS NULL")
                .execute(Tuple.of(tenantId, familyId)).replaceWithVoid();
    }

    static String hash(String token) {
        return Sha256.hex(token);
    }
}
