package dev.ragline.api.tenant;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
public class TenantRepository {

    public Uni<Optional<Tenant>> findBySlug(SqlConnection tx, String slug) {
        return tx.preparedQuery("SELECT id, slug, name, created_at FROM tenants WHERE slug = $1")
                .execute(Tuple.of(slug))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(toTenant(rows.iterator().next())) : Optional.empty());
    }

    /** Empty when the slug is taken. */
    public Uni<Optional<Tenant>> insert(SqlConnection tx, String slug, String name) {
        return tx.preparedQuery("""
                INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)
                ON CONFLICT (slug) DO NOTHING RETURNING id, slug, name, created_at""")
                .execute(Tuple.of(UUID.randomUUID(), slug, name))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(toTenant(rows.iterator().next())) : Optional.empty());
    }

    private static Tenant toTenant(Row row) {
        return new Tenant(row.getUUID("id"), row.getString("slug"), row.getString("name"), row.getOffsetDateTime("created_at"));
    }
}
