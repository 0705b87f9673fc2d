package dev.ragline.api.tenant;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.common.ApiProblem;
import dev.ragline.api.common.Roles;
import dev.ragline.api.common.TenantDatabase;
import dev.ragline.api.user.PasswordHasher;
import dev.ragline.api.user.UserRepository;
import io.smallrye.mutiny.Uni;

/** Creates a tenant together with its first admin, in one transaction. */
@ApplicationScoped
public class TenantService {

    private final TenantDatabase database;
    private final TenantRepository tenants;
    private final UserRepository users;
    private final PasswordHasher hasher;

    public TenantService(TenantDatabase database, TenantRepository tenants, UserRepository users, PasswordHasher hasher) {
        this.database = database;
        this.tenants = tenants;
        this.users = users;
        this.hasher = hasher;
    }

    public record CreatedTenant(Tenant tenant, dev.ragline.api.user.User admin) {
    }

    public Uni<CreatedTenant> create(String slug, String name, String adminEmail, String adminPassword) {
        String email = adminEmail.trim().toLowerCase(Locale.ROOT);
        return hasher.hash(adminPassword).chain(hash -> database.withoutTenant(tx -> tenants.insert(tx, slug, name)
                .chain(inserted -> {
                    Tenant tenant = inserted
                            .orElseThrow(() -> ApiProblem.conflict("tenant-exists", "Tenant " + slug + " already exists"));
                    return database.bind(tx, tenant.id())
                            .chain(() -> users.insert(tx, tenant.id(), email, hash, List.of(Roles.ADMIN)))
                            .map(admin -> new CreatedTenant(tenant, admin.orElseThrow()));
                })));
    }
}
