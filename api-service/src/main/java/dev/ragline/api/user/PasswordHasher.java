package dev.ragline.api.user;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.auth.AuthConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** bcrypt, computed on worker threads: hashing is deliberately slow and must not stall the event loop. */
@ApplicationScoped
public class PasswordHasher {

    // Compared against when the user does not exist, so an unknown email costs as much as a wrong password.
    private static final String DECOY_HASH = BcryptUtil.bcryptHash("ragline-decoy-password");

    private final int cost;

    public PasswordHasher(AuthConfig config) {
        this.cost = config.bcryptCost();
    }

    public Uni<String> hash(String password) {
        return Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password, cost))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public Uni<Boolean> matches(String password, String hash) {
        return Uni.createFrom().item(() -> BcryptUtil.matches(password, hash == null ? DECOY_HASH : hash) && hash != null)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
