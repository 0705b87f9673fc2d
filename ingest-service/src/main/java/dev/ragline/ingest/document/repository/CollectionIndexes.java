package dev.ragline.ingest.document.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;

/**
 * Each collection's partial HNSW index, built with CREATE INDEX CONCURRENTLY so that other tenants' inserts
 * into ingest.chunks go on while it is built (a plain CREATE INDEX holds a SHARE lock on the whole table
 * until it commits). CONCURRENTLY cannot run inside a transaction or a function, and the runtime role may
 * run no DDL, so this runs as the schema owner on the migration datasource, in autocommit. An index left
 * invalid by a build that died (a crash, a cancelled statement) is dropped and built again.
 */
@ApplicationScoped
public class CollectionIndexes {

    private static final Logger LOG = Logger.getLogger(CollectionIndexes.class);

    /** SQLSTATE deadlock_detected: the victim's build is left invalid and is built again. */
    private static final String DEADLOCK = "40P01";
    private static final int ATTEMPTS = 5;

    private final AgroalDataSource owner;
    private final Set<Long> ready = ConcurrentHashMap.newKeySet();

    CollectionIndexes(@DataSource("migration") AgroalDataSource owner) {
        this.owner = owner;
    }

    /** Blocks until the collection's index exists and is valid; at once when this instance saw it so before. */
    public void ensure(long collectionId, int dimension) {
        if (ready.contains(collectionId)) {
            return;
        }
        // Two concurrent builds of partial expression indexes on one table each wait for the other's
        // transaction (PostgreSQL exempts only plain indexes from that wait), so PostgreSQL kills one as a
        // deadlock: builds on this instance take turns, and a build another replica deadlocked is retried.
        synchronized (this) {
            for (int attempt = 1;; attempt++) {
                try {
                    build(collectionId, dimension);
                    return;
                } catch (SQLException e) {
                    if (!DEADLOCK.equals(e.getSQLState()) || attempt == ATTEMPTS) {
                        throw new IllegalStateException("cannot build the index of collection " + collectionId, e);
                    }
                    LOG.infof("Index build of collection %d lost a deadlock with another build, attempt %d", collectionId,
                            attempt);
                }
            }
        }
    }

    private void build(long collectionId, int dimension) throws SQLException {
        if (ready.contains(collectionId)) {
            return;
        }
        String name = "chunks_hnsw_collection_" + collectionId;
        try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            Optional<Boolean> valid = validity(connection, name);
            if (valid.isEmpty() || !valid.get()) {
                if (valid.isPresent()) {
                    LOG.warnf("Rebuilding %s, left invalid by an interrupted build", name);
                    statement.execute("DROP INDEX CONCURRENTLY IF EXISTS ingest." + name);
                }
                // Numbers only (a bigint and an int), so formatting them into the statement is safe.
                statement.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS " + name
                        + " ON ingest.chunks USING hnsw ((embedding::vector(" + dimension + ")) vector_cosine_ops)"
                        + " WHERE collection_id = " + collectionId);
            }
            ready.add(collectionId);
        }
    }

    private static Optional<Boolean> validity(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT i.indisvalid FROM pg_index i"
                + " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'ingest' AND c.relname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getBoolean(1)) : Optional.empty();
            }
        }
    }
}
