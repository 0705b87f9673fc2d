package dev.ragline.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.ragline.ingest.support.HttpExchanges;
import dev.ragline.ingest.support.Rake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** url_scrape against a small web site served on loopback (127.0.0.1 is allow-listed in %test). */
@QuarkusTest
class UrlScrapeTest {

    private static HttpServer site;
    private static final List<String> requested = new CopyOnWriteArrayList<>();
    private static String base;

    @BeforeAll
    static void startSite() throws IOException {
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = site.getAddress().getPort();
        base = "http://127.0.0.1:" + port;
        site.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requested.add(path);
            switch (path) {
                case "/robots.txt" -> HttpExchanges.respond(exchange, 200, "text/plain", "User-agent: *\nDisallow: /private\n");
                case "/" -> HttpExchanges.respond(exchange, 200, "text/html; charset=utf-8", page("Kettle shop",
                        "<p>We sell copper kettles and porcelain teapots.</p>"
                                + "<a href=\"/about\">About</a> <a href=\"/private/ledger\">Ledger</a>"
                                + " <a href=\"/moved\">Moved</a> <a href=\"https://elsewhere.example/\">Elsewhere</a>"));
                case "/about" -> HttpExchanges.respond(exchange, 200, "text/html", page("About us",
                        "<p>The shop was founded in Lyon in 1921 by a coppersmith.</p><a href=\"/about/history\">History</a>"));
                case "/about/history" ->
                    HttpExchanges.respond(exchange, 200, "text/html", page("History", "<p>Too deep to visit.</p>"));
                case "/private/ledger" ->
                    HttpExchanges.respond(exchange, 200, "text/html", page("Ledger", "<p>Secret ledger.</p>"));
                case "/moved" -> {
                    // A redirect to an internal address must be refused even though the first hop was allowed.
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.2:" + port + "/about");
                    HttpExchanges.respond(exchange, 302, "text/plain", "");
                }
                default -> HttpExchanges.respond(exchange, 404, "text/plain", "not found");
            }
        });
        site.start();
    }

    @AfterAll
    static void stopSite() {
        site.stop(0);
    }

    private static String page(String title, String body) {
        return "<html><head><title>" + title + "</title><script>var t=1;</script></head><body>"
                + "<nav>Menu Home Shop</nav><main><h1>" + title + "</h1>" + body + "</main>"
                + "<footer>Footer links</footer></body></html>";
    }

    @Test
    void a_same_site_crawl_respects_depth_robots_txt_and_the_ssrf_guard_on_redirects() {
        Rake rake = Rake.forNewTenant("scrape");
        String jobId = rake.submit(Map.of("source", "url_scrape", "urls", List.of(base + "/"), "crawl", true,
                "max_depth", 1, "max_pages", 10));

        JsonPath job = rake.awaitCompleted(jobId);

        assertThat(rake.documents().getList("items.source_id")).containsExactlyInAnyOrder(base + "/", base + "/about");
        assertThat(job.getList("errors.document")).containsExactlyInAnyOrder(base + "/private/ledger", base + "/moved");
        assertThat(job.getList("errors.error", String.class)).anyMatch(error -> error.contains("robots.txt"))
                .anyMatch(error -> error.contains("refused") && error.contains("127.0.0.2"));
        assertThat(requested).doesNotContain("/private/ledger", "/about/history");

        JsonPath found = rake.search("when was the shop founded", "hybrid");
        assertThat(found.getString("results[0].url")).isEqualTo(base + "/about");
        assertThat(found.getString("results[0].title")).isEqualTo("About us");
        assertThat(found.getString("results[0].text")).contains("founded in Lyon").doesNotContain("Menu", "Footer");
    }

    @Test
    void a_url_on_an_internal_address_is_refused_and_the_job_fails_with_the_cause() {
        Rake rake = Rake.forNewTenant("ssrf");
        String jobId = rake.submit(Map.of("source", "url_scrape", "urls",
                List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:" + site.getAddress().getPort() + "/")));

        JsonPath job = rake.awaitFinished(jobId);

        assertThat(job.getString("status")).isEqualTo("FAILED");
        assertThat(job.getList("errors.error", String.class)).hasSize(2).allMatch(error -> error.startsWith("refused"));
        assertThat(rake.documents().getList("items")).isEmpty();
    }
}
