package dev.ragline.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.support.LongText;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class JobsApiTest {

    private static final String HANDBOOK = """
            # Returns handbook

            Customers may return unworn shoes within 30 days of delivery for a full refund.

            Refunds go back to the original payment method within five business days.
            """;

    @Test
    void an_uploaded_file_is_accepted_and_ingested_into_searchable_chunks() {
        Rake acme = Rake.forNewTenant("acme");

        var accepted = acme.request().multiPart("source", "file_upload")
                .multiPart("file", "returns.md", HANDBOOK.getBytes(StandardCharsets.UTF_8), "text/markdown")
                .post("/api/v1/jobs").then().log().ifValidationFails().statusCode(202)
                .body("status", equalTo("PENDING")).body("source", equalTo("file_upload"))
                .body("params.files[0].filename", equalTo("returns.md"))
                .extract();
        String jobId = accepted.path("job_id");
        assertThat(accepted.header("Location")).endsWith("/api/v1/jobs/" + jobId);

        JsonPath job = acme.awaitCompleted(jobId);
        assertThat(job.getInt("progress.documents_done")).isEqualTo(1);
        assertThat(job.getInt("progress.chunks_total")).isPositive();
        assertThat(job.getInt("progress.percentage")).isEqualTo(100);
        assertThat(job.getLong("tokens_embedded")).isPositive();
        assertThat(job.getMap("stages")).containsKeys("fetch", "clean", "chunk", "embed", "store");
        assertThat(job.getString("stages.embed.started_at")).isNotNull();

        JsonPath documents = acme.documents();
        assertThat(documents.getList("items.source_id")).containsExactly("returns.md");
        assertThat(documents.getString("items[0].collection")).endsWith("_documents__all_minilm_l6_v2_q_384");

        JsonPath found = acme.search("how many days do I have to send shoes back?", "vector");
        assertThat(found.getString("results[0].text")).contains("30 days");
        assertThat(found.getString("results[0].source_id")).isEqualTo("returns.md");
    }

    @Test
    void tenant_b_never_sees_tenant_a_jobs_documents_or_chunks() {
        Rake a = Rake.forNewTenant("tenant-a");
        Rake b = Rake.forNewTenant("tenant-b");
        String jobId = a.uploadText("secret-plan.txt", "The launch codename for the spring campaign is Bluefinch.");
        a.awaitCompleted(jobId);
        String documentId = a.documents().getString("items[0].document_id");

        b.request().get("/api/v1/jobs/" + jobId).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("https://ragline.dev/problems/not-found"));
        b.request().post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(404);
        b.request().get("/api/v1/documents/" + documentId).then().statusCode(404);
        b.request().delete("/api/v1/documents/" + documentId).then().statusCode(404);
        assertThat(b.request().get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items"))
                .isEmpty();
        assertThat(b.documents().getList("items")).isEmpty();
        assertThat(b.search("Bluefinch launch codename", "hybrid").getList("results")).isEmpty();
        assertThat(a.search("Bluefinch launch codename", "hybrid").getList("results")).hasSize(1);
    }

    @Test
    void re_ingesting_unchanged_content_adds_nothing_and_changed_content_replaces_its_chunks() {
        Rake rake = Rake.forNewTenant("reingest");
        rake.awaitCompleted(rake.uploadText("faq.txt", "Shipping is free above 50 euros. Orders leave within a day."));
        JsonPath first = rake.documents();

        JsonPath again = rake.awaitCompleted(rake.uploadText("faq.txt",
                "Shipping is free above 50 euros. Orders leave within a day."));
        assertThat(again.getInt("documents_skipped")).isEqualTo(1);
        assertThat(again.getInt("progress.chunks_total")).isZero();
        assertThat(rake.documents().getString("items[0].updated_at")).isEqualTo(first.getString("items[0].updated_at"));
        assertThat(rake.documents().getInt("total")).isEqualTo(1);

        rake.awaitCompleted(rake.uploadText("faq.txt", "Shipping now costs 4 euros below 80 euros."));
        JsonPath changed = rake.documents();
        assertThat(changed.getInt("total")).isEqualTo(1);
        assertThat(changed.getString("items[0].document_id")).isEqualTo(first.getString("items[0].document_id"));
        assertThat(changed.getString("items[0].content_hash")).isNotEqualTo(first.getString("items[0].content_hash"));
        List<String> texts = rake.search("shipping cost", "hybrid").getList("results.text");
        assertThat(texts).hasSize(1).allMatch(text -> text.contains("4 euros"));
    }

    @Test
    void jobs_are_listed_newest_first_and_filtered_by_status() {
        Rake rake = Rake.forNewTenant("listing");
        String first = rake.uploadText("one.txt", "First document about apples.");
        rake.awaitCompleted(first);
        String second = rake.uploadText("two.txt", "Second document about pears.");
        rake.awaitCompleted(second);

        rake.request().get("/api/v1/jobs?page=1&size=10").then().statusCode(200)
                .body("items.job_id", equalTo(List.of(second, first))).body("total", equalTo(2));
        rake.request().get("/api/v1/jobs?status=completed&size=1&page=2").then().statusCode(200)
                .body("items.job_id", equalTo(List.of(first)));
        rake.request().get("/api/v1/jobs?status=FAILED").then().statusCode(200).body("items", equalTo(List.of()));
        rake.request().get("/api/v1/jobs?status=SLEEPING").then().statusCode(400);
    }

    @Test
    void a_deleted_document_leaves_search() {
        Rake rake = Rake.forNewTenant("deleting");
        rake.awaitCompleted(rake.uploadText("old-policy.txt", "Gift cards expire after twelve months."));
        String documentId = rake.documents().getString("items[0].document_id");

        rake.request().delete("/api/v1/documents/" + documentId).then().statusCode(204);

        assertThat(rake.documents().getList("items")).isEmpty();
        assertThat(rake.search("gift card expiry", "hybrid").getList("results")).isEmpty();
        rake.request().delete("/api/v1/documents/" + documentId).then().statusCode(404);
    }

    @Test
    void bad_requests_are_problems_not_errors() {
        Rake rake = Rake.forNewTenant("bad");
        rake.request().contentType(ContentType.JSON).body("{\"source\": ").post("/api/v1/jobs").then().statusCode(400)
                .contentType("application/problem+json").body("type", notNullValue());
        rake.request().contentType(ContentType.JSON).body(Map.of("source", "carrier_pigeon")).post("/api/v1/jobs")
                .then().statusCode(400).body("type", equalTo("https://ragline.dev/problems/unsupported-source"));
        rake.request().contentType(ContentType.JSON).body(Map.of("source", "url_scrape", "urls", List.of("ftp://x")))
                .post("/api/v1/jobs").then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("urls"));
        rake.request().contentType(ContentType.JSON)
                .body(Map.of("source", "file_upload", "chunk_size", 5, "files", List.of(Map.of("filename", "a.txt",
                        "content", "x"))))
                .post("/api/v1/jobs").then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("chunk_size"));
        rake.request().get("/api/v1/jobs/not-a-uuid").then().statusCode(404);
        rake.request().contentType(ContentType.JSON).body(Map.of("top_k", 3)).post("/api/v1/search").then()
                .statusCode(400);
    }

    @Test
    void an_unsupported_upload_is_refused_with_415() {
        Rake rake = Rake.forNewTenant("formats");
        byte[] zip = { 'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0 };
        rake.request().multiPart("source", "file_upload").multiPart("file", "archive.zip", zip, "application/zip")
                .post("/api/v1/jobs").then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("https://ragline.dev/problems/unsupported-file-type"));
    }

    @Test
    void only_staff_submit_jobs_and_a_token_is_required() {
        String tenant = Tokens.newTenant("roles");
        io.restassured.RestAssured.given().get("/api/v1/jobs").then().statusCode(401);
        io.restassured.RestAssured.given().auth().oauth2(Tokens.customerOf(tenant)).get("/api/v1/jobs").then()
                .statusCode(403);
    }

    @Test
    void cancel_stops_a_running_job_and_retry_runs_it_again() {
        Rake rake = Rake.forNewTenant("cancel");
        String jobId = rake.uploadText("long-manual.txt", LongText.paragraphs(400));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> "EMBEDDING".equals(rake.job(jobId).getString("status")));

        rake.request().post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"));

        int embeddedAtCancel = rake.job(jobId).getInt("progress.chunks_done");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
            JsonPath job = rake.job(jobId);
            return job.getString("status").equals("CANCELLED") && job.getInt("progress.chunks_done") == embeddedAtCancel;
        });
        assertThat(rake.documents().getList("items")).isEmpty();
        rake.request().post("/api/v1/jobs/" + jobId + "/cancel").then().statusCode(409);

        rake.request().post("/api/v1/jobs/" + jobId + "/retry").then().statusCode(202).body("status", equalTo("PENDING"));
        rake.awaitCompleted(jobId);
        assertThat(rake.documents().getList("items.source_id")).containsExactly("long-manual.txt");
        rake.request().post("/api/v1/jobs/" + jobId + "/retry").then().statusCode(409);
    }

    @Test
    void the_health_endpoint_reports_each_dependency() {
        io.restassured.RestAssured.given().get("/health").then().statusCode(200).body("status", equalTo("healthy"))
                .body("dependencies.database", equalTo("healthy"))
                .body("dependencies.vector_store", equalTo("healthy"))
                .body("dependencies.embeddings", equalTo("healthy"));
    }
}
