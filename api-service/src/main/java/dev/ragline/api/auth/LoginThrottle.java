package dev.ragline.api.auth;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Counts failed logins per tenant and email and locks the pair after too many within a window. */
@ApplicationScoped
public class LoginThrottle {

    private final AuthConfig config;

    public LoginThrottle(AuthConfig config) {
        this.config = config;
    }

    /** How long the pair stays locked, if it is. */
    public Uni<Optional<Duration>> lockedFor(SqlConnection tx, UUID tenantId, String email) {
        return tx
                .preparedQuery(
                        "SELECT locked_until FROM login_failures WHERE tenant_id = $1 AND email = $2 AND locked_until > now()")
                .execute(Tuple.of(tenantId, email))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Optional.empty();
                    }
                    OffsetDateTime until = rows.iterator().next().getOffsetDateTime("locked_until");
                    return Optional.of(Duration.between(OffsetDateTime.now(), until));
                });
    }

    public Uni<Void> recordFailure(SqlConnection tx, UUID tenantId, String email) {
        return tx.preparedQuery("""
                INSERT INTO login_failures AS f (tenant_id, email, failures, last_failed_at) VALUES ($1, $2, 1, now())
                ON CONFLICT (tenant_id, email) DO UPDATE SET
                    failures = CASE WHEN f.last_failed_at < now() - make_interval(secs => $3) THEN 1 ELSE f.failures + 1 END,
                    last_failed_at = now(),
                    locked_until = CASE
                        WHEN f.last_failed_at >= now() - make_interval(secs => $3) AND f.failures + 1 >= $4
                        THEN now() + make_interval(secs => $5) END""")
                .execute(Tuple.of(tenantId, email, config.failureWindow().toSeconds(), config.maxFailedLogins(),
                        config.lockout().toSeconds()))
                .replaceWithVoid();
    }

    public Uni<Void> reset(SqlConnection tx, UUID tenantId, String email) {
        return tx.preparedQuery("DELETE FROM login_failures WHERE tenant_id = $1 AND email = $2")
                .execute(Tuple.of(tenantId, email)).replaceWithVoid();
    }
}
