package dev.ragline.ingest.source.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.ragline.ingest.source.database.SecretsCapture;
import dev.ragline.ingest.support.HttpExchanges;
import dev.ragline.ingest.support.Rake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** api_fetch against a JSON API served on loopback (127.0.0.1 is allow-listed in %test). */
@QuarkusTest
class ApiFetchTest {

    private static final String TOKEN = "Bearer tok-" + java.util.UUID.randomUUID();
    private static HttpServer api;
    private static String base;
    private static final AtomicInteger flakyCalls = new AtomicInteger();
    private static final List<Long> flakyTimes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startApi() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + api.getAddress().getPort();
        // Page numbers: 3 pages of 2 tickets, then an empty page; only with the right token.
        api.createContext("/paged", exchange -> {
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                HttpExchanges.respond(exchange, 401, "application/json", "{\"error\":\"unauthorized\"}");
                return;
            }
            int page = Integer.parseInt(query(exchange).getOrDefault("page", "1"));
            String items = page > 3 ? "" : tickets(page * 2 - 1, page * 2);
            HttpExchanges.respond(exchange, 200, "application/json", "{\"data\":{\"items\":[" + items + "]}}");
        });
        // Cursor in the body: c1 -> c2 -> end.
        api.createContext("/cursored", exchange -> {
            String cursor = query(exchange).getOrDefault("cursor", "");
            String body = switch (cursor) {
                case "" -> "{\"results\":[" + tickets(1, 2) + "],\"meta\":{\"next_cursor\":\"c1\"}}";
                case "c1" -> "{\"results\":[" + tickets(3, 4) + "],\"meta\":{\"next_cursor\":\"c2\"}}";
                default -> "{\"results\":[" + tickets(5, 5) + "],\"meta\":{\"next_cursor\":null}}";
            };
            HttpExchanges.respond(exchange, 200, "application/json", body);
        });
        // GitHub-style Link header.
        api.createContext("/linked", exchange -> {
            int from = Integer.parseInt(query(exchange).getOrDefault("from", "1"));
            if (from < 5) {
                exchange.getResponseHeaders().add("Link", "<" + base + "/linked?from=" + (from + 2)
                        + ">; rel=\"next\", <" + base + "/linked?from=1>; rel=\"first\"");
            }
            HttpExchanges.respond(exchange, 200, "application/json", "[" + tickets(from, Math.min(from + 1, 6)) + "]");
        });
        // Rate-limited once (Retry-After: 1), then a 503, then fine.
        api.createContext("/flaky", exchange -> {
            flakyTimes.add(System.nanoTime());
            int call = flakyCalls.incrementAndGet();
            if (call == 1) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                HttpExchanges.respond(exchange, 429, "application/json", "{\"error\":\"slow down\"}");
            } else if (call == 2) {
                HttpExchanges.respond(exchange, 503, "text/plain", "busy");
            } else {
                HttpExchanges.respond(exchange, 200, "application/json", "{\"items\":[" + tickets(1, 2) + "]}");
            }
        });
        api.createContext("/down", exchange -> HttpExchanges.respond(exchange, 503, "text/plain", "down"));
        api.start();
    }

    @AfterAll
    static void stopApi() {
        api.stop(0);
    }

    private static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Map.of();
        }
        return java.util.Arrays.stream(raw.split("&")).map(pair -> pair.split("=", 2)).collect(Collectors.toMap(
                pair -> pair[0], pair -> URLDecoder.decode(pair.length > 1 ? pair[1] : "", StandardCharsets.UTF_8),
                (first, last) -> last));
    }

    private static String tickets(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> "{\"id\":\"T-" + n + "\",\"subject\":\"Kettle ticket " + n
                + "\",\"body\":\"The copper kettle " + n + " whistles too early.\",\"priority\":" + (n % 3)
                + ",\"customer\":{\"country\":\"FR\"}}").collect(Collectors.joining(","));
    }

    private static Map<String, Object> job(String path, String itemsPointer, Map<String, Object> pagination) {
        Map<String, Object> job = new HashMap<>();
        job.put("source", "api_fetch");
        job.put("url", base + path);
        job.put("items_pointer", itemsPointer);
        job.put("id_field", "id");
        job.put("text_fields", List.of("subject", "body"));
        job.put("metadata_fields", List.of("priority", "/customer/country"));
        if (pagination != null) {
            job.put("pagination", pagination);
        }
        return job;
    }

    private static List<String> sourceIds(Rake rake) {
        return rake.documents().getList("items.source_id");
    }

    @Test
    void page_numbers_are_followed_until_an_empty_page_and_the_auth_header_is_never_shown() {
        Rake rake = Rake.forNewTenant("api-paged");
        Map<String, Object> body = job("/paged", "/data/items", Map.of("type", "page"));
        body.put("headers", Map.of("Authorization", TOKEN));
        try (SecretsCapture logs = SecretsCapture.start()) {
            String jobId = rake.submit(body);
            JsonPath job = rake.awaitCompleted(jobId);

            assertThat(sourceIds(rake)).containsExactlyInAnyOrder("T-1", "T-2", "T-3", "T-4", "T-5", "T-6");
            assertThat(job.getString("params.headers.Authorization")).isEqualTo("***");
            assertThat(job.prettify()).doesNotContain(TOKEN.substring(7));
            assertThat(logs.text()).contains(jobId).doesNotContain(TOKEN.substring(7));
        }
        Map<String, Object> metadata = rake.documents().getMap("items.find { it.source_id == 'T-3' }.metadata");
        assertThat(metadata).containsEntry("priority", 0).containsEntry("/customer/country", "FR");
    }

    @Test
    void a_cursor_read_from_the_response_is_followed_until_it_is_null() {
        Rake rake = Rake.forNewTenant("api-cursor");
        rake.awaitCompleted(rake.submit(job("/cursored", "/results",
                Map.of("type", "cursor", "cursor_pointer", "/meta/next_cursor"))));

        assertThat(sourceIds(rake)).containsExactlyInAnyOrder("T-1", "T-2", "T-3", "T-4", "T-5");
    }

    @Test
    void the_link_header_is_followed_up_to_max_pages() {
        Rake rake = Rake.forNewTenant("api-link");
        Map<String, Object> body = job("/linked", "", Map.of("type", "link"));
        body.put("max_pages", 2);
        rake.awaitCompleted(rake.submit(body));

        assertThat(sourceIds(rake)).containsExactlyInAnyOrder("T-1", "T-2", "T-3", "T-4");
    }

    @Test
    void a_flaky_endpoint_is_retried_honouring_retry_after() {
        Rake rake = Rake.forNewTenant("api-flaky");
        rake.awaitCompleted(rake.submit(job("/flaky", "/items", null)));

        assertThat(sourceIds(rake)).containsExactlyInAnyOrder("T-1", "T-2");
        assertThat(flakyCalls.get()).isEqualTo(3);
        assertThat(flakyTimes.get(1) - flakyTimes.get(0)).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(
                950_000_000L);
    }

    @Test
    void an_endpoint_that_stays_down_fails_the_job_with_the_cause_after_its_retries() {
        Rake rake = Rake.forNewTenant("api-down");
        JsonPath job = rake.awaitFinished(rake.submit(job("/down", "/items", null)));

        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("/down").contains("503").contains("4 attempts");
    }

    @Test
    void an_internal_address_is_refused_by_the_ssrf_guard() {
        Rake rake = Rake.forNewTenant("api-ssrf");
        Map<String, Object> body = job("/paged", "/data/items", null);
        body.put("url", base.replace("127.0.0.1", "127.0.0.2") + "/paged");
        JsonPath job = rake.awaitFinished(rake.submit(body));

        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getString("error")).contains("internal address");
    }

    @Test
    void bad_parameters_are_named_in_the_400() {
        Rake rake = Rake.forNewTenant("api-bad");
        Map<String, Map<String, Object>> cases = Map.of(
                "url", Map.of("url", "ftp://example.com/x"),
                "method", Map.of("method", "DELETE"),
                "pagination", Map.of("pagination", Map.of("type", "offset")),
                "max_pages", Map.of("max_pages", 0),
                "text_fields", Map.of("text_fields", List.of()));
        cases.forEach((param, override) -> {
            Map<String, Object> body = job("/paged", "/data/items", null);
            body.putAll(override);
            rake.request().contentType(ContentType.JSON).body(body).post("/api/v1/jobs").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.startsWith(param));
        });
    }
}
