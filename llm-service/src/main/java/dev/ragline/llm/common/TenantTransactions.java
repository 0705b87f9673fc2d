package dev.ragline.llm.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs work in a transaction whose {@code ragline.tenant_id} setting names one tenant, which the
 * row-level security policies of the llm schema require: rows of other tenants are invisible.
 * Callers are blocking (worker or virtual threads), so this waits for the result.
 */
@ApplicationScoped
public class TenantTransactions {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SET_TENANT = "SELECT set_config('ragline.tenant_id', $1, true)";

    /** One statement of a {@link #pipelined} transaction. */
    public record Statement(String sql, Tuple arguments) {
    }

    private final Pool pool;

    TenantTransactions(Pool pool) {
        this.pool = pool;
    }

    public <T> T inTenant(UUID tenantId, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(connection -> connection
                .preparedQuery(SET_TENANT)
                .execute(Tuple.of(tenantId.toString()))
                .flatMap(ignored -> work.apply(connection)))
                .await().atMost(TIMEOUT);
    }

    /**
     * Runs statements that do not depend on each other's results in one transaction sent as a single pipeline
     * (BEGIN, the tenant setting, the statements, COMMIT), so it costs one round trip to PostgreSQL instead of
     * one per command. If a statement fails, PostgreSQL turns the COMMIT into a rollback and the returned
     * {@code Uni} fails; it completes only once every command has answered, so the connection goes back to
     * the pool with no transaction open. Yields each statement's rows, in order.
     */
    public Uni<List<RowSet<Row>>> pipelined(UUID tenantId, List<Statement> statements) {
        return pool.withConnection(connection -> {
            List<Uni<RowSet<Row>>> commands = new ArrayList<>();
            commands.add(connection.query("BEGIN").execute());
            commands.add(connection.preparedQuery(SET_TENANT).execute(Tuple.of(tenantId.toString())));
            statements.forEach(statement -> commands.add(
                    connection.preparedQuery(statement.sql()).execute(statement.arguments())));
            commands.add(connection.query("COMMIT").execute());
            return Uni.combine().all().unis(commands).collectFailures().with(TenantTransactions::statementRows);
        });
    }

    @SuppressWarnings("unchecked")
    private static List<RowSet<Row>> statementRows(List<?> answers) {
        List<RowSet<Row>> rows = new ArrayList<>();
        for (Object answer : answers.subList(2, answers.size() - 1)) {
            rows.add((RowSet<Row>) answer);
        }
        return rows;
    }

    public Pool pool() {
        return pool;
    }
}
