package dev.ragline.ingest.source.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ragline.ingest.source.SecretSealer;
import dev.ragline.ingest.support.Rake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * database_query against a real PostgreSQL database: a schema and table this test creates in ragline_test
 * (as the superuser), read back through the production JDBC path.
 */
@QuarkusTest
class DatabaseQueryTest {

    private static final String DB = "jdbc:postgresql://127.0.0.1:5432/"
            + System.getenv().getOrDefault("RAGLINE_TEST_DB", "ragline_test");
    private static final String PASSWORD = "s3cret-dbq-" + UUID.randomUUID();
    private static final int ROWS = 600;

    @Inject
    SecretSealer sealer;

    @BeforeAll
    static void createTheCustomersDatabase() throws SQLException {
        try (Connection connection = superuser(); Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS rake_dbq_fixture CASCADE");
            sql.execute("CREATE SCHEMA rake_dbq_fixture");
            sql.execute("CREATE TABLE rake_dbq_fixture.articles (id integer PRIMARY KEY, title text NOT NULL,"
                    + " body text NOT NULL, category text NOT NULL, rating integer NOT NULL)");
            sql.execute("INSERT INTO rake_dbq_fixture.articles SELECT g, 'Kettle note ' || g,"
                    + " 'Copper kettle number ' || g || ' keeps tea warm for ' || (g % 60) || ' minutes.',"
                    + " CASE WHEN g % 2 = 0 THEN 'copper' ELSE 'steel' END, g % 5 FROM generate_series(1, " + ROWS + ") g");
        }
    }

    private static Connection superuser() throws SQLException {
        return DriverManager.getConnection(DB, "postgres", "");
    }

    private static Map<String, Object> job(String query) {
        Map<String, Object> job = new HashMap<>();
        job.put("source", "database_query");
        job.put("jdbc_url", DB);
        job.put("username", "postgres");
        job.put("password", PASSWORD);
        job.put("query", query);
        job.put("id_column", "id");
        job.put("text_columns", List.of("title", "body"));
        job.put("metadata_columns", List.of("category", "rating"));
        return job;
    }

    @Test
    void rows_of_a_select_become_documents_streamed_up_to_the_row_cap() {
        Rake rake = Rake.forNewTenant("dbq");
        Map<String, Object> body = job("SELECT id, title, body, category, rating FROM rake_dbq_fixture.articles"
                + " -- DELETE in a comment is harmless\n ORDER BY id");
        body.put("max_rows", 450);

        String jobId = rake.submit(body);
        JsonPath job = rake.awaitCompleted(jobId);

        assertThat(sealedParams(jobId)).as("sealed secrets are cleared once the job completed").isNull();
        assertThat(job.getInt("progress.documents_total")).isEqualTo(450);
        assertThat(job.getInt("progress.documents_done")).isEqualTo(450);
        JsonPath documents = rake.request().get("/api/v1/documents?size=5&source=database_query").then().statusCode(200)
                .extract().jsonPath();
        assertThat(documents.getLong("total")).isEqualTo(450);
        JsonPath seventh = rake.request().get("/api/v1/documents/" + documentId(rake, "7")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(seventh.getString("title")).isEqualTo("Kettle note 7");
        assertThat(seventh.getString("metadata.category")).isEqualTo("steel");
        assertThat(seventh.getInt("metadata.rating")).isEqualTo(2);
    }

    private static byte[] sealedParams(String jobId) {
        try (Connection connection = superuser();
                PreparedStatement sql = connection.prepareStatement("SELECT sealed_params FROM ingest.jobs WHERE id = ?")) {
            sql.setObject(1, UUID.fromString(jobId));
            try (ResultSet row = sql.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getBytes(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static String documentId(Rake rake, String sourceId) {
        for (int page = 1; page <= 10; page++) {
            JsonPath documents = rake.request().get("/api/v1/documents?size=100&page=" + page).then().statusCode(200)
                    .extract().jsonPath();
            List<Map<String, Object>> items = documents.getList("items");
            for (Map<String, Object> item : items) {
                if (sourceId.equals(String.valueOf(item.get("source_id")))) {
                    return String.valueOf(item.get("document_id"));
                }
            }
        }
        throw new AssertionError("no document " + sourceId);
    }

    @Test
    void the_password_is_kept_only_sealed_never_in_the_record_the_api_or_a_log_line() throws Exception {
        Rake rake = Rake.forNewTenant("dbq-secret");
        try (SecretsCapture logs = SecretsCapture.start()) {
            // Fails (no such table) so the job keeps its sealed parameters, and the failure is logged.
            String jobId = rake.submit(job("SELECT id, title, body, category, rating FROM rake_dbq_fixture.missing"));
            JsonPath job = rake.awaitFinished(jobId);

            assertThat(job.getString("status")).isEqualTo("FAILED");
            assertThat(job.getString("error")).contains("missing");
            assertThat(job.getString("params.password")).isEqualTo("***");
            assertThat(job.prettify()).doesNotContain(PASSWORD);
            assertThat(rake.request().get("/api/v1/jobs").then().extract().asString()).doesNotContain(PASSWORD);
            // The capture does see the service's lines about this job; none of them holds the password.
            assertThat(logs.text()).contains(jobId).doesNotContain(PASSWORD);

            try (Connection connection = superuser();
                    PreparedStatement sql = connection.prepareStatement(
                            "SELECT params::text, sealed_params FROM ingest.jobs WHERE id = ?")) {
                sql.setObject(1, UUID.fromString(jobId));
                try (ResultSet row = sql.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString(1)).doesNotContain(PASSWORD);
                    byte[] sealed = row.getBytes(2);
                    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
                    assertThat(sealer.open(UUID.fromString(jobId), sealed)).contains(PASSWORD);
                }
            }
        }
    }

    @Test
    void a_delete_is_refused_before_it_reaches_the_database() {
        Rake rake = Rake.forNewTenant("dbq-refused");
        for (String query : List.of("DELETE FROM rake_dbq_fixture.articles",
                "SELECT id FROM rake_dbq_fixture.articles; DROP TABLE rake_dbq_fixture.articles",
                "WITH gone AS (DELETE FROM rake_dbq_fixture.articles RETURNING *) SELECT * FROM gone",
                "SELECT * INTO rake_dbq_fixture.copy FROM rake_dbq_fixture.articles")) {
            rake.request().contentType(ContentType.JSON).body(job(query)).post("/api/v1/jobs")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.startsWith("query"));
        }
        try (Connection connection = superuser();
                Statement sql = connection.createStatement();
                ResultSet count = sql.executeQuery("SELECT count(*) FROM rake_dbq_fixture.articles")) {
            count.next();
            assertThat(count.getInt(1)).isEqualTo(ROWS);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_query_running_past_the_statement_timeout_fails_the_job_with_the_cause() {
        Rake rake = Rake.forNewTenant("dbq-slow");
        JsonPath job = rake.awaitFinished(rake.submit(
                job("SELECT a.id, a.title, a.body, a.category, a.rating FROM rake_dbq_fixture.articles a, pg_sleep(30)")));

        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("statement timeout");
    }

    @Test
    void a_bad_parameter_is_named_in_the_400() {
        Rake rake = Rake.forNewTenant("dbq-bad");
        Map<String, Object> body = job("SELECT id, title FROM rake_dbq_fixture.articles");
        body.put("jdbc_url", "jdbc:mysql://127.0.0.1/shop");
        rake.request().contentType(ContentType.JSON).body(body).post("/api/v1/jobs").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("jdbc_url"));
        body = job("SELECT id, title FROM rake_dbq_fixture.articles");
        body.put("max_rows", 0);
        rake.request().contentType(ContentType.JSON).body(body).post("/api/v1/jobs").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("max_rows"));
    }
}
