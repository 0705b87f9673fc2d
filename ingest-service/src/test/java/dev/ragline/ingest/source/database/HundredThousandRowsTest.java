package dev.ragline.ingest.source.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ragline.ingest.embedding.OpenAiEmbeddingsProfile;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.ServiceNotesTable;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * database_query over 100,000 rows of a table this test creates in ragline_test: every row becomes a
 * stored document, and the service's heap (sampled after a full GC while the job runs, the service
 * being this JVM) stays flat while the rows stream through, instead of growing with the rows read.
 * Embeddings come from the OpenAI-compatible client against a local /v1/embeddings server (the real
 * client code path, at a speed that lets 100k chunks through in the normal suite).
 */
@QuarkusTest
@TestProfile(OpenAiEmbeddingsProfile.class)
class HundredThousandRowsTest {

    private static final int ROWS = 100_000;
    /** Characters of text per row. */
    private static final int BODY_CHARS = 400;
    private static final String TENANT = Tokens.newTenant("dbq-100k");

    private static ServiceNotesTable notes;

    @BeforeAll
    static void createTheTable() throws SQLException {
        notes = ServiceNotesTable.create("rake_dbq_100k", ROWS, BODY_CHARS);
    }

    @AfterAll
    static void dropTheTableAndTheTenantsChunks() throws SQLException {
        notes.dropWithDocumentsOf(TENANT);
    }

    private record Sample(int rowsFetched, long heapBytes) {
    }

    @Test
    void a_hundred_thousand_rows_are_ingested_with_flat_memory() throws Exception {
        Rake rake = new Rake(Tokens.staffOf(TENANT));
        String jobId = rake.submit(Map.of("source", "database_query", "jdbc_url", ServiceNotesTable.DB, "username", "postgres",
                "password", "", "query", "SELECT id, title, body FROM " + notes.qualifiedName() + " ORDER BY id",
                "id_column", "id", "text_columns", List.of("body"), "max_rows", ROWS));

        // The heap after a full GC each time another fifth of the rows was read (a GC every poll would
        // stall the job more than it measures it).
        List<Sample> samples = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        JsonPath job = rake.job(jobId);
        while (!List.of("COMPLETED", "FAILED", "CANCELLED").contains(job.getString("status"))) {
            assertThat(System.nanoTime()).as("job finished within 15 minutes: " + job.prettify()).isLessThan(deadline);
            int fetched = job.getInt("progress.documents_total");
            if (fetched >= (samples.size() + 1) * ROWS / 5 && fetched < ROWS) {
                samples.add(new Sample(fetched, usedHeapAfterGc()));
            }
            Thread.sleep(500);
            job = rake.job(jobId);
        }

        System.out.println("100k rows: heap after GC by rows read " + samples + "; job stages " + job.getMap("stages"));
        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("COMPLETED");
        assertThat(job.getInt("progress.documents_total")).isEqualTo(ROWS);
        assertThat(job.getInt("progress.documents_done")).isEqualTo(ROWS);
        assertThat(job.getInt("progress.chunks_done")).isEqualTo(job.getInt("progress.chunks_total"))
                .isGreaterThanOrEqualTo(ROWS);
        assertThat(rake.request().get("/api/v1/documents?size=1&source=database_query").then().statusCode(200)
                .extract().jsonPath().getLong("total")).isEqualTo(ROWS);

        // Holding every row read would cost at least a kilobyte a row (the raw, cleaned and chunked text and
        // their records): 60 MB between the first and the last sample. Streaming stays within 16 MB.
        assertThat(samples).as("heap samples while the rows streamed").hasSizeGreaterThanOrEqualTo(3);
        assertThat(samples.getLast().rowsFetched() - samples.getFirst().rowsFetched())
                .as("samples spread over the rows: " + samples).isGreaterThanOrEqualTo(ROWS / 2);
        long reference = samples.getFirst().heapBytes();
        long peak = samples.stream().mapToLong(Sample::heapBytes).max().orElseThrow();
        assertThat(peak - reference).as("heap growth while streaming; samples " + samples).isLessThan(16L << 20);
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
