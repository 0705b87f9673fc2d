package dev.ragline.api.user;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.common.ApiProblem;
import dev.ragline.api.common.TenantDatabase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class UserService {

    private final TenantDatabase database;
    private final UserRepository users;
    private final PasswordHasher hasher;

    public UserService(TenantDatabase database, UserRepository users, PasswordHasher hasher) {
        this.database = database;
        this.users = users;
        this.hasher = hasher;
    }

    public Uni<User> create(UUID tenantId, String rawEmail, String password, List<String> roles) {
        String email = rawEmail.trim().toLowerCase(Locale.ROOT);
        return hasher.hash(password)
                .chain(hash -> database.inTenant(tenantId, tx -> users.insert(tx, tenantId, email, hash, roles)))
                .map(user -> user
                        .orElseThrow(() -> ApiProblem.conflict("user-exists", "A user with this email already exists")));
    }

    public Uni<User> find(UUID tenantId, UUID userId) {
        return database.inTenant(tenantId, tx -> users.findById(tx, tenantId, userId))
                .map(user -> user.orElseThrow(() -> ApiProblem.notFound("User " + userId)));
    }
}
