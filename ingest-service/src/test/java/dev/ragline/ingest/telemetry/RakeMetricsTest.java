package dev.ragline.ingest.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.common.TenantDb;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.Scrape;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;

/** Rake's telemetry, read from /q/metrics as Prometheus would after real jobs ran. */
@QuarkusTest
class RakeMetricsTest {

    private static final Map<String, String> UPLOAD = Map.of("source", "file_upload");

    @Inject
    TenantDb db;

    @Test
    void a_job_counts_its_documents_chunks_tokens_status_and_stage_times() {
        Rake rake = Rake.forNewTenant("metrics");
        Scrape before = Scrape.now();

        String first = rake.submit(Map.of("source", "file_upload", "files", List.of(
                Map.of("filename", "menu.txt", "content", "Our lasagne is baked for three hours with fresh pasta."),
                Map.of("filename", "blank.txt", "content", "   \n\n  "))));
        rake.awaitCompleted(first);
        // The same content again: skipped as unchanged, nothing embedded.
        rake.awaitCompleted(rake.uploadText("menu.txt", "Our lasagne is baked for three hours with fresh pasta."));

        Scrape after = Scrape.now();
        assertThat(delta(before, after, "ragline_rake_jobs_total", Map.of("source", "file_upload", "status", "completed")))
                .isEqualTo(2);
        assertThat(delta(before, after, "ragline_rake_documents_total", with("outcome", "fetched"))).isEqualTo(3);
        assertThat(delta(before, after, "ragline_rake_documents_total", with("outcome", "skipped_unchanged")))
                .isEqualTo(1);
        assertThat(delta(before, after, "ragline_rake_documents_total", with("outcome", "failed"))).isEqualTo(1);
        assertThat(delta(before, after, "ragline_rake_source_errors_total", with("kind", "empty_text"))).isEqualTo(1);
        assertThat(delta(before, after, "ragline_rake_chunks_embedded_total", UPLOAD)).isEqualTo(1);
        assertThat(delta(before, after, "ragline_rake_embedding_tokens_total", UPLOAD)).isPositive();
        assertThat(after.has("ragline_rake_embedding_cost_usd_total")).isTrue();
        assertThat(delta(before, after, "ragline_rake_job_duration_seconds_count",
                Map.of("source", "file_upload", "status", "completed"))).isEqualTo(2);
        assertThat(delta(before, after, "ragline_rake_job_duration_seconds_bucket",
                Map.of("source", "file_upload", "status", "completed", "le", "+Inf"))).isEqualTo(2);
        for (String stage : List.of("fetching", "cleaning", "chunking", "embedding", "storing")) {
            assertThat(after.value("ragline_rake_stage_duration_seconds_count", Map.of("stage", stage)))
                    .as(stage).isPositive();
        }
    }

    @Test
    void a_failed_source_is_counted_by_kind_and_final_status() {
        Rake rake = Rake.forNewTenant("metrics-fail");
        Scrape before = Scrape.now();
        // An internal address: the SSRF guard refuses it, nothing is fetched, the job fails.
        String job = rake.submit(Map.of("source", "url_scrape", "urls", List.of("http://169.254.169.254/latest/meta-data/")));
        assertThat(rake.awaitFinished(job).getString("status")).isEqualTo("FAILED");

        Scrape after = Scrape.now();
        assertThat(delta(before, after, "ragline_rake_jobs_total", Map.of("source", "url_scrape", "status", "failed")))
                .isEqualTo(1);
        assertThat(delta(before, after, "ragline_rake_source_errors_total", Map.of("source", "url_scrape", "kind", "refused")))
                .isEqualTo(1);
        assertThat(delta(before, after, "ragline_rake_documents_total", Map.of("source", "url_scrape", "outcome", "failed")))
                .isEqualTo(1);
    }

    @Test
    void the_oldest_pending_job_shows_its_age() {
        String tenant = Tokens.newTenant("metrics-pending");
        // A job waiting ten minutes (as if every instance had been busy); the reaper takes it 5 s after "dispatch".
        db.inTenant(tenant, connection -> connection.preparedQuery("INSERT INTO jobs (id, tenant_id, source, params,"
                + " created_at, dispatched_at) VALUES ($1, $2, 'file_upload', '{}'::jsonb, now() - interval '10 minutes', now())")
                .execute(Tuple.of(UUID.randomUUID(), tenant))).await().atMost(Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                Scrape.now().value("ragline_rake_oldest_pending_job_age_seconds")).isGreaterThanOrEqualTo(600));
    }

    @Test
    void labels_never_carry_a_tenant_or_a_job() {
        Rake rake = Rake.forNewTenant("metrics-labels");
        rake.awaitCompleted(rake.uploadText("labels.txt", "Labels stay bounded whatever the tenant count."));
        Scrape scrape = Scrape.now();
        assertThat(scrape.labelValues("ragline_rake_", "source")).isSubsetOf("file_upload", "url_scrape",
                "database_query", "api_fetch", "sec_edgar", "other");
        assertThat(scrape.text()).doesNotContain("tenant_id=").doesNotContain("job_id=");
    }

    private static Map<String, String> with(String label, String value) {
        return Map.of("source", "file_upload", label, value);
    }

    private static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
