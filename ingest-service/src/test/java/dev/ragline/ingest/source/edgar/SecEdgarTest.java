package dev.ragline.ingest.source.edgar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ragline.ingest.support.Rake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** sec_edgar against a local server replaying EDGAR's tickers map, submissions JSON and filing documents. */
@QuarkusTest
class SecEdgarTest {

    private static final FakeEdgar edgar = new FakeEdgar();

    @BeforeAll
    static void startEdgar() {
        edgar.start();
    }

    @AfterAll
    static void stopEdgar() {
        edgar.stop();
    }

    @Test
    void a_10k_found_by_ticker_is_split_by_item_with_the_filing_as_metadata() {
        Rake rake = Rake.forNewTenant("edgar");
        rake.awaitCompleted(rake.submit(Map.of("source", "sec_edgar", "ticker", "aapl", "form_types", List.of("10-K"),
                "since", "2024-01-01", "limit", 5)));

        JsonPath documents = rake.documents();
        assertThat(documents.getList("items.source_id")).containsExactlyInAnyOrder("0000320193-24-000123#item-1",
                "0000320193-24-000123#item-1a", "0000320193-24-000123#item-7", "0000320193-24-000123#item-7a");
        Map<String, Object> risk = documents.getMap("items.find { it.source_id == '0000320193-24-000123#item-1a' }.metadata");
        assertThat(risk).containsEntry("item", "1A").containsEntry("company_name", "Apple Inc.")
                .containsEntry("cik", "0000320193").containsEntry("form", "10-K")
                .containsEntry("filing_date", "2024-11-01").containsEntry("accession_number", "0000320193-24-000123");
        assertThat(FakeEdgar.USER_AGENTS).isNotEmpty().allMatch("RAGline tests dev@ragline.dev"::equals);

        JsonPath hits = rake.request().contentType(ContentType.JSON)
                .body(Map.of("query", "adverse economic conditions", "top_k", 3,
                        "filters", Map.of("metadata", Map.of("item", "1A"))))
                .post("/api/v1/search").then().statusCode(200).extract().jsonPath();
        assertThat(hits.getList("results.source_id")).isNotEmpty().allMatch(id -> id.toString().endsWith("#item-1a"));
        assertThat(hits.getString("results[0].text")).contains("global and regional economic conditions")
                .doesNotContain("AmendmentFlag");
    }

    @Test
    void a_10q_is_split_by_part_and_item_so_its_risk_factors_are_searchable_apart_from_legal_proceedings() {
        Rake rake = Rake.forNewTenant("edgar-10q");
        rake.awaitCompleted(rake.submit(Map.of("source", "sec_edgar", "ticker", "AAPL", "form_types", List.of("10-Q"),
                "since", "2025-01-01", "limit", 1)));

        JsonPath documents = rake.documents();
        assertThat(documents.getList("items.source_id")).containsExactlyInAnyOrder(
                "0000320193-25-000057#part-i-item-1", "0000320193-25-000057#part-ii-item-1",
                "0000320193-25-000057#part-ii-item-1a", "0000320193-25-000057#part-ii-item-2");
        Map<String, Object> risk = documents
                .getMap("items.find { it.source_id == '0000320193-25-000057#part-ii-item-1a' }.metadata");
        assertThat(risk).containsEntry("part", "II").containsEntry("item", "1A").containsEntry("form", "10-Q")
                .containsEntry("filing_date", "2025-05-02").containsEntry("accession_number", "0000320193-25-000057");

        JsonPath hits = rake.request().contentType(ContentType.JSON)
                .body(Map.of("query", "tariffs on imports", "top_k", 3,
                        "filters", Map.of("metadata", Map.of("part", "II", "item", "1A"))))
                .post("/api/v1/search").then().statusCode(200).extract().jsonPath();
        assertThat(hits.getList("results.source_id")).isNotEmpty()
                .allMatch("0000320193-25-000057#part-ii-item-1a"::equals);
        assertThat(hits.getString("results[0].text")).containsIgnoringCase("tariffs");
    }

    @Test
    void an_8k_found_by_cik_keeps_its_items() {
        Rake rake = Rake.forNewTenant("edgar-8k");
        rake.awaitCompleted(rake.submit(Map.of("source", "sec_edgar", "cik", "320193", "form_types", List.of("8-K"))));

        assertThat(rake.documents().getList("items.source_id")).containsExactlyInAnyOrder(
                "0000320193-24-000120#item-2.02", "0000320193-24-000120#item-9.01");
    }

    @Test
    void bad_parameters_are_named_in_the_400() {
        Rake rake = Rake.forNewTenant("edgar-bad");
        for (Map.Entry<Map<String, Object>, String> bad : Map.<Map<String, Object>, String> of(
                Map.of("source", "sec_edgar"), "ticker",
                Map.of("source", "sec_edgar", "ticker", "AAPL", "limit", 1000), "limit",
                Map.of("source", "sec_edgar", "ticker", "AAPL", "since", "last year"), "since").entrySet()) {
            rake.request().contentType(ContentType.JSON).body(bad.getKey()).post("/api/v1/jobs").then().statusCode(400)
                    .body("detail", org.hamcrest.Matchers.startsWith(bad.getValue()));
        }
    }
}
