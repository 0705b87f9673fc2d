package dev.ragline.api.user;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Users of the transaction's tenant; every query also filters by tenant explicitly. */
@ApplicationScoped
public class UserRepository {

    private static final String COLUMNS = "id, tenant_id, email, password_hash, roles, created_at";

    public Uni<Optional<User>> findByEmail(SqlConnection tx, UUID tenantId, String email) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE tenant_id = $1 AND email = $2")
                .execute(Tuple.of(tenantId, email))
                .map(UserRepository::first);
    }

    public Uni<Optional<User>> findById(SqlConnection tx, UUID tenantId, UUID id) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(UserRepository::first);
    }

    /** Empty when the email is taken in this tenant. */
    public Uni<Optional<User>> insert(SqlConnection tx, UUID tenantId, String email, String passwordHash, List<String> roles) {
        return tx.preparedQuery("INSERT INTO users (id, tenant_id, email, password_hash, roles) VALUES ($1, $2, $3, $4, $5)"
                + " ON CONFLICT (tenant_id, email) DO NOTHING RETURNING " + COLUMNS)
                .execute(Tuple.of(UUID.randomUUID(), tenantId, email, passwordHash, roles.toArray(String[]::new)))
                .map(UserRepository::first);
    }

    private static Optional<User> first(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new User(row.getUUID("id"), row.getUUID("tenant_id"), row.getString("email"),
                row.getString("password_hash"), List.of(row.getArrayOfStrings("roles")), row.getOffsetDateTime("created_at")));
    }
}
