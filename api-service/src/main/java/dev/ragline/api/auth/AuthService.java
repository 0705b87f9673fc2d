package dev.ragline.api.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.common.ApiProblem;
import dev.ragline.api.common.TenantDatabase;
import dev.ragline.api.tenant.Tenant;
import dev.ragline.api.tenant.TenantRepository;
import dev.ragline.api.user.PasswordHasher;
import dev.ragline.api.user.User;
import dev.ragline.api.user.UserRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Login, refresh-token rotation with reuse detection, and logout. */
@ApplicationScoped
public class AuthService {

    private static final String BAD_CREDENTIALS = "Unknown tenant, email or password";

    private final TenantDatabase database;
    private final TenantRepository tenants;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final RefreshTokens refreshTokens;
    private final AccessTokenIssuer accessTokens;

    public AuthService(TenantDatabase database, TenantRepository tenants, UserRepository users, PasswordHasher hasher,
            LoginThrottle throttle, RefreshTokens refreshTokens, AccessTokenIssuer accessTokens) {
        this.database = database;
        this.tenants = tenants;
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
    }

    public Uni<TokenResponse> login(String tenantSlug, String rawEmail, String password) {
        String email = rawEmail.trim().toLowerCase(Locale.ROOT);
        return database.withoutTenant(tx -> tenants.findBySlug(tx, tenantSlug))
                .chain(tenant -> tenant.isPresent()
                        ? login(tenant.get(), email, password)
                        : hasher.matches(password, null).chain(AuthService::badCredentials));
    }

    private Uni<TokenResponse> login(Tenant tenant, String email, String password) {
        UUID tenantId = tenant.id();
        return database.inTenant(tenantId, tx -> throttle.lockedFor(tx, tenantId, email)
                .chain(locked -> {
                    if (locked.isPresent()) {
                        int seconds = (int) Math.max(1, locked.get().toSeconds() + 1);
                        throw ApiProblem.tooManyRequests("login-locked",
                                "Too many failed logins; try again in " + seconds + " s", seconds);
                    }
                    return users.findByEmail(tx, tenantId, email);
                }))
                .chain(user -> hasher.matches(password, user.map(User::passwordHash).orElse(null))
                        .chain(matches -> matches
                                ? database.inTenant(tenantId, tx -> throttle.reset(tx, tenantId, email)
                                        .chain(() -> tokensFor(tx, user.get(), UUID.randomUUID())))
                                : database.inTenant(tenantId, tx -> throttle.recordFailure(tx, tenantId, email))
                                        .chain(AuthService::badCredentials)));
    }

    public Uni<TokenResponse> refresh(String presented) {
        UUID tenantId = RefreshTokens.tenantOf(presented).orElseThrow(() -> ApiProblem.unauthorized("Unknown refresh token"));
        // A reused token revokes its family, and that revocation must commit even though the caller gets a 401.
        return database.inTenant(tenantId, tx -> refreshTokens.findForUpdate(tx, tenantId, presented)
                .chain(stored -> {
                    if (stored.isEmpty() || stored.get().revoked() || stored.get().expired()) {
                        return Uni.createFrom().item(Optional.<TokenResponse> empty());
                    }
                    RefreshTokens.StoredToken token = stored.get();
                    if (token.used()) {
                        return refreshTokens.revokeFamily(tx, tenantId, token.familyId())
                                .replaceWith(Optional.<TokenResponse> empty());
                    }
                    return refreshTokens.markUsed(tx, tenantId, token.id())
                            .chain(() -> users.findById(tx, tenantId, token.userId()))
                            .chain(user -> user.isEmpty()
                                    ? Uni.createFrom().item(Optional.<TokenResponse> empty())
                                    : tokensFor(tx, user.get(), token.familyId()).map(Optional::of));
                }))
                .map(tokens -> tokens
                        .orElseThrow(() -> ApiProblem.unauthorized("Refresh token is unknown, expired or revoked")));
    }

    /** Ends the session: the whole family of the presented token is revoked. Unknown tokens are ignored. */
    public Uni<Void> logout(String presented) {
        Optional<UUID> tenant = RefreshTokens.tenantOf(presented);
        if (tenant.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID tenantId = tenant.get();
        return database.inTenant(tenantId, tx -> refreshTokens.findForUpdate(tx, tenantId, presented)
                .chain(stored -> stored.isPresent()
                        ? refreshTokens.revokeFamily(tx, tenantId, stored.get().familyId())
                        : Uni.createFrom().voidItem()));
    }

    private static Uni<TokenResponse> badCredentials(Object ignored) {
        return Uni.createFrom().failure(ApiProblem.unauthorized(BAD_CREDENTIALS));
    }

    private Uni<TokenResponse> tokensFor(SqlConnection tx, User user, UUID familyId) {
        return refreshTokens.issue(tx, user.tenantId(), user.id(), familyId)
                .map(refresh -> new TokenResponse(accessTokens.issue(user), refresh, "Bearer", accessTokens.ttlSeconds()));
    }
}
