package dev.ragline.ingest.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.ragline.ingest.embedding.Embedder;
import dev.ragline.ingest.embedding.InProcessEmbedder;
import dev.ragline.ingest.embedding.OpenAiEmbeddingsProfile;
import dev.ragline.ingest.pipeline.Chunker;
import dev.ragline.ingest.support.HttpExchanges;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.ServiceNotesTable;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Run by deploy/load/ingest-sources-benchmark.sh, never by the normal build (tag "benchmark"): documents
 * per second of a database_query job over 100k rows and of an api_fetch job over a local paginated API,
 * next to the raw throughput of the embedding client on the same texts in the same run. The service
 * embeds through its OpenAI-compatible client against a local /v1/embeddings server (8 dimensions), so
 * the figures show what the pipeline itself costs; the in-process model's raw rate is printed for scale.
 */
@QuarkusTest
@TestProfile(OpenAiEmbeddingsProfile.class)
@Tag("benchmark")
class SourceThroughputBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 100_000);
    private static final int API_PAGES = Integer.getInteger("bench.api.pages", 100);
    private static final int API_PAGE_SIZE = Integer.getInteger("bench.api.page.size", 200);
    private static final int BODY_CHARS = 800;
    private static final String TENANT = Tokens.newTenant("bench-sources");
    private static ServiceNotesTable notes;
    private static HttpServer api;
    private static String apiBase;

    @Inject
    Embedder embedder;

    @Inject
    Chunker chunker;

    private final List<String> report = new ArrayList<>();

    @BeforeAll
    static void createTheTableAndTheApi() throws Exception {
        notes = ServiceNotesTable.create("rake_bench_sources", ROWS, BODY_CHARS);
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        apiBase = "http://127.0.0.1:" + api.getAddress().getPort();
        api.createContext("/tickets", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            int page = query == null ? 1 : Integer.parseInt(query.replaceAll(".*page=(\\d+).*", "$1"));
            String items = page > API_PAGES ? ""
                    : IntStream.rangeClosed((page - 1) * API_PAGE_SIZE + 1, page * API_PAGE_SIZE)
                            .mapToObj(SourceThroughputBenchmark::ticket).collect(Collectors.joining(","));
            HttpExchanges.respond(exchange, 200, "application/json", "{\"data\":{\"items\":[" + items + "]}}");
        });
        api.start();
    }

    private static String ticket(int n) {
        return "{\"id\":\"T-" + n + "\",\"subject\":\"Kettle ticket " + n + "\",\"body\":\""
                + apiText(n) + "\",\"priority\":" + (n % 3) + ",\"customer\":{\"country\":\"FR\"}}";
    }

    private static String apiText(int n) {
        return ("The copper kettle " + n + " whistles too early and the lid sticks after descaling. ").repeat(8);
    }

    @AfterAll
    static void dropEverything() throws SQLException {
        api.stop(0);
        notes.dropWithDocumentsOf(TENANT);
    }

    @Test
    void documents_per_second_of_database_query_and_api_fetch() throws Exception {
        Rake rake = new Rake(Tokens.staffOf(TENANT));
        List<String> rowTexts = rowTexts();
        embedder.embed(rowTexts.subList(0, 100)); // warm-up (and the local endpoint's one 429)
        double rawRows = rawChunksPerSecond(rowTexts);
        line("raw embedding (%s via the OpenAI-compatible client, local endpoint, batches of %d): %.0f chunks/s on the %d row texts",
                embedder.model(), 100, rawRows, rowTexts.size());

        JsonPath rows = runJob(rake,
                Map.of("source", "database_query", "jdbc_url", ServiceNotesTable.DB, "username", "postgres",
                        "password", "", "query", "SELECT id, title, body FROM " + notes.qualifiedName() + " ORDER BY id",
                        "id_column", "id", "text_columns", List.of("body"), "max_rows", ROWS));
        assertThat(rows.getInt("progress.documents_done")).isEqualTo(ROWS);
        report("database_query", rows, rawRows);

        List<String> apiTexts = IntStream.rangeClosed(1, API_PAGES * API_PAGE_SIZE)
                .mapToObj(n -> "Kettle ticket " + n + "\n\n" + apiText(n).strip()).toList();
        double rawApi = rawChunksPerSecond(apiTexts);
        line("raw embedding on the %d api_fetch item texts: %.0f chunks/s", apiTexts.size(), rawApi);
        Map<String, Object> apiJob = new HashMap<>();
        apiJob.put("source", "api_fetch");
        apiJob.put("url", apiBase + "/tickets");
        apiJob.put("items_pointer", "/data/items");
        apiJob.put("id_field", "id");
        apiJob.put("text_fields", List.of("subject", "body"));
        apiJob.put("metadata_fields", List.of("priority", "/customer/country"));
        apiJob.put("pagination", Map.of("type", "page"));
        apiJob.put("max_pages", API_PAGES);
        JsonPath fetched = runJob(rake, apiJob);
        assertThat(fetched.getInt("progress.documents_done")).isEqualTo(API_PAGES * API_PAGE_SIZE);
        report("api_fetch", fetched, rawApi);

        InProcessEmbedder inProcess = new InProcessEmbedder(chunker::countTokens);
        List<String> sample = rowTexts.subList(0, 300);
        inProcess.embed(sample.subList(0, 100));
        long start = System.nanoTime();
        for (int from = 0; from < sample.size(); from += 100) {
            inProcess.embed(sample.subList(from, from + 100));
        }
        line("for scale, the in-process model (all-MiniLM-L6-v2) on 300 of the row texts: %.1f chunks/s",
                sample.size() / ((System.nanoTime() - start) / 1e9));
        Files.write(Path.of("target/ingest-sources-benchmark.txt"), report);
    }

    private List<String> rowTexts() throws SQLException {
        List<String> texts = new ArrayList<>(ROWS);
        try (Connection connection = ServiceNotesTable.superuser();
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("SELECT body FROM " + notes.qualifiedName() + " ORDER BY id")) {
            while (rows.next()) {
                texts.add(rows.getString(1));
            }
        }
        return texts;
    }

    private double rawChunksPerSecond(List<String> texts) {
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += 100) {
            embedder.embed(texts.subList(from, Math.min(texts.size(), from + 100)));
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static JsonPath runJob(Rake rake, Map<String, Object> body) throws InterruptedException {
        String jobId = rake.submit(body);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        JsonPath job = rake.job(jobId);
        while (!List.of("COMPLETED", "FAILED", "CANCELLED").contains(job.getString("status"))) {
            assertThat(System.nanoTime()).as("job finished within 30 minutes").isLessThan(deadline);
            Thread.sleep(500);
            job = rake.job(jobId);
        }
        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("COMPLETED");
        return job;
    }

    private void report(String source, JsonPath job, double raw) {
        double seconds = Duration.between(OffsetDateTime.parse(job.getString("started_at")),
                OffsetDateTime.parse(job.getString("completed_at"))).toMillis() / 1e3;
        int documents = job.getInt("progress.documents_done");
        int chunks = job.getInt("progress.chunks_done");
        line("%s: %d documents (%d chunks) in %.1f s: %.0f documents/s, %.0f chunks/s (%.0f %% of the raw embedding rate)",
                source, documents, chunks, seconds, documents / seconds, chunks / seconds, 100 * chunks / seconds / raw);
        line("%s stage busy time: fetch %d ms, clean %d ms, chunk %d ms, embed %d ms, store %d ms", source,
                job.getLong("stages.fetch.busy_ms"), job.getLong("stages.clean.busy_ms"),
                job.getLong("stages.chunk.busy_ms"), job.getLong("stages.embed.busy_ms"),
                job.getLong("stages.store.busy_ms"));
    }

    private void line(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("BENCHMARK " + line);
        report.add(line);
    }
}
