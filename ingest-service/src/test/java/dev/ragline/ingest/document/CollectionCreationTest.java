package dev.ragline.ingest.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.document.repository.DocumentRepository;
import dev.ragline.ingest.support.LongText;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;

/** A new tenant's first upload creates its collection and index without holding up other tenants. */
@QuarkusTest
class CollectionCreationTest {

    @Inject
    DocumentRepository documents;

    @Inject
    @DataSource("migration")
    AgroalDataSource owner;

    @Test
    void another_tenants_upload_completes_while_a_new_tenants_collection_index_is_being_built() throws Exception {
        Rake established = Rake.forNewTenant("established");
        established.awaitCompleted(established.uploadText("first.txt", LongText.paragraphs(3)));

        try (Connection writer = owner.getConnection(); Statement statement = writer.createStatement()) {
            // A transaction writing chunks that has not committed yet, as a long STORE of some job would be;
            // an index build waits for it, whichever way it is built.
            writer.setAutoCommit(false);
            statement.execute("LOCK TABLE ingest.chunks IN ROW EXCLUSIVE MODE");
            CompletableFuture<Long> newCollection = CompletableFuture
                    .supplyAsync(() -> documents.ensureCollection(Tokens.newTenant("newcomer"), "all-minilm-l6-v2", 384));
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingLocks(statement) > 0);

            String second = established.uploadText("second.txt", LongText.paragraphs(3));

            established.awaitCompleted(second);
            assertThat(newCollection).as("the index build still waits for the open transaction").isNotDone();
            writer.rollback();
            long collection = newCollection.get(30, TimeUnit.SECONDS);
            assertThat(indexIsValid(statement, collection)).isTrue();
        }
    }

    private static int waitingLocks(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static boolean indexIsValid(Statement statement, long collection) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT i.indisvalid FROM pg_index i JOIN pg_class c"
                + " ON c.oid = i.indexrelid WHERE c.relname = 'chunks_hnsw_collection_" + collection + "'")) {
            return rows.next() && rows.getBoolean(1);
        }
    }
}
