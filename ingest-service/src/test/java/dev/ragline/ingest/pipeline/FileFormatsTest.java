package dev.ragline.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.support.Fixtures;
import dev.ragline.ingest.support.Rake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Each upload format goes through FETCH and CLEAN into chunks that search finds. */
@QuarkusTest
class FileFormatsTest {

    @Test
    void a_pdf_a_docx_and_a_messy_html_page_are_ingested_and_searchable() {
        Rake rake = Rake.forNewTenant("formats");
        String jobId = rake.request().multiPart("source", "file_upload")
                .multiPart("file", "warranty.pdf", Fixtures.pdf("Warranty terms",
                        "Every kettle carries a warranty of three years.", "Keep the receipt as proof of purchase."),
                        "application/pdf")
                .multiPart("file", "onboarding.docx", Fixtures.docx("Onboarding",
                        "New warehouse staff shadow a mentor during their first fortnight."),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                .multiPart("file", "hours.html", Fixtures.MESSY_HTML.getBytes(StandardCharsets.UTF_8), "text/html")
                .post("/api/v1/jobs").then().statusCode(202).extract().path("job_id");

        JsonPath job = rake.awaitCompleted(jobId);
        assertThat(job.getInt("progress.documents_done")).isEqualTo(3);
        assertThat(job.getInt("documents_failed")).isZero();

        JsonPath documents = rake.documents();
        assertThat(documents.getList("items.source_id")).containsExactlyInAnyOrder("warranty.pdf", "onboarding.docx",
                "hours.html");
        assertThat(documents.getList("items.title")).contains("Warranty terms");

        assertThat(rake.search("how long is the kettle warranty", "hybrid").getString("results[0].text"))
                .contains("three years");
        assertThat(rake.search("mentor for new warehouse staff", "hybrid").getString("results[0].source_id"))
                .isEqualTo("onboarding.docx");

        String hours = rake.search("when does the Lyon store open", "hybrid").getString("results[0].text");
        assertThat(hours).contains("# Opening hours", "- Monday to Friday: 9:00 to 19:00", "Sunday | closed",
                "nine o'clock every weekday", "Fullwidth", "café");
        assertThat(hours).doesNotContain("SECRET-TRACKER-ID", "Navigation menu", "Copyright footer", "color: red");
    }

    @Test
    void csv_json_and_markdown_are_read_as_text() {
        Rake rake = Rake.forNewTenant("text-formats");
        String jobId = rake.request().multiPart("source", "file_upload")
                .multiPart("file", "prices.csv", "sku,name,price\nK-1,Copper kettle,49.90\n".getBytes(StandardCharsets.UTF_8),
                        "text/csv")
                .multiPart("file", "product.json",
                        "{\"sku\": \"T-7\", \"description\": \"Porcelain teapot for six cups\"}"
                                .getBytes(StandardCharsets.UTF_8),
                        "application/json")
                .multiPart("file", "notes.md", "## Care\n\nDescale the kettle monthly.".getBytes(StandardCharsets.UTF_8),
                        "text/markdown")
                .post("/api/v1/jobs").then().statusCode(202).extract().path("job_id");

        rake.awaitCompleted(jobId);

        assertThat(rake.search("copper kettle price", "hybrid").getList("results.text", String.class))
                .anyMatch(text -> text.contains("K-1,Copper kettle,49.90"));
        assertThat(rake.search("porcelain teapot", "hybrid").getString("results[0].source_id")).isEqualTo("product.json");
        assertThat(rake.search("descale", "hybrid").getString("results[0].text")).contains("## Care");
    }

    @Test
    void a_corrupt_pdf_is_a_per_document_error_and_the_other_files_are_ingested() {
        Rake rake = Rake.forNewTenant("corrupt");
        byte[] corrupt = "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref".getBytes(StandardCharsets.US_ASCII);
        String jobId = rake.request().multiPart("source", "file_upload")
                .multiPart("file", "broken.pdf", corrupt, "application/pdf")
                .multiPart("file", "fine.txt", "This file is perfectly fine.".getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/api/v1/jobs").then().statusCode(202).extract().path("job_id");

        JsonPath job = rake.awaitCompleted(jobId);
        assertThat(job.getInt("documents_failed")).isEqualTo(1);
        assertThat(job.getString("errors[0].document")).isEqualTo("broken.pdf");
        assertThat(rake.documents().getList("items.source_id")).containsExactly("fine.txt");
    }

    @Test
    void a_job_whose_only_file_is_corrupt_fails_with_the_cause() {
        Rake rake = Rake.forNewTenant("all-corrupt");
        byte[] corrupt = Fixtures.docx("x", "y");
        corrupt = java.util.Arrays.copyOf(corrupt, corrupt.length / 2);
        String jobId = rake.request().multiPart("source", "file_upload")
                .multiPart("file", "truncated.docx", corrupt,
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                .post("/api/v1/jobs").then().statusCode(202).extract().path("job_id");

        JsonPath job = rake.awaitFinished(jobId);
        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("no document could be fetched");
        assertThat(job.getList("errors.document")).isEqualTo(List.of("truncated.docx"));
    }

    @Test
    void an_oversized_file_is_refused_with_413() {
        Rake rake = Rake.forNewTenant("oversized");
        byte[] huge = new byte[21 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        rake.request().multiPart("source", "file_upload").multiPart("file", "huge.txt", huge, "text/plain")
                .post("/api/v1/jobs").then().statusCode(413)
                .body("type", equalTo("https://ragline.dev/problems/file-too-large"));
    }
}
