package dev.ragline.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.ragline.ingest.support.HttpExchanges;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.ScriptedResolver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * DNS rebinding against url_scrape and api_fetch. A name answers the allow-listed 127.0.0.1 to its first
 * lookup and 127.0.0.77 (loopback, not allow-listed) after that; a second server listens on 127.0.0.77 at the
 * same port, so a connection that looked the name up again would land there. The fetch must be served by
 * 127.0.0.1, the name looked up once per connection, and 127.0.0.77 never contacted.
 */
@QuarkusTest
class SsrfRebindingTest {

    private static final String REBOUND = "127.0.0.77";
    private static HttpServer permitted;
    private static HttpServer rebound;
    private static int port;
    private static final List<String> permittedSaw = new CopyOnWriteArrayList<>();
    private static final List<String> reboundSaw = new CopyOnWriteArrayList<>();

    private ScriptedResolver resolver;

    @BeforeAll
    static void startServers() throws IOException {
        permitted = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        port = permitted.getAddress().getPort();
        rebound = HttpServer.create(new InetSocketAddress(REBOUND, port), 0);
        permitted.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            permittedSaw.add(exchange.getRequestHeaders().getFirst("Host") + path);
            switch (path) {
                case "/robots.txt" -> HttpExchanges.respond(exchange, 200, "text/plain", "User-agent: *\nAllow: /\n");
                case "/page" -> HttpExchanges.respond(exchange, 200, "text/html",
                        "<html><head><title>Tea</title></head><body><main><p>Oolong is partly oxidised tea.</p></main></body></html>");
                case "/hop" -> {
                    exchange.getResponseHeaders().add("Location", "http://second.ragline.test:" + port + "/items");
                    HttpExchanges.respond(exchange, 302, "text/plain", "moved");
                }
                case "/items" -> HttpExchanges.respond(exchange, 200, "application/json",
                        "[{\"id\":\"T-1\",\"body\":\"The kettle whistles.\"}]");
                default -> HttpExchanges.respond(exchange, 404, "text/plain", "not found");
            }
        });
        rebound.createContext("/", exchange -> {
            reboundSaw.add(exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI().getPath());
            HttpExchanges.respond(exchange, 200, "application/json",
                    "[{\"id\":\"STOLEN\",\"body\":\"Internal secret.\"}]");
        });
        permitted.start();
        rebound.start();
    }

    @AfterAll
    static void stopServers() {
        permitted.stop(0);
        rebound.stop(0);
    }

    @BeforeEach
    void rebindingNames() {
        permittedSaw.clear();
        reboundSaw.clear();
        resolver = ScriptedResolver.install().answer("rebind.ragline.test", "127.0.0.1", REBOUND)
                .answer("first.ragline.test", "127.0.0.1", REBOUND).answer("second.ragline.test", "127.0.0.1", REBOUND);
    }

    private static Map<String, Object> apiJob(String url) {
        Map<String, Object> job = new HashMap<>();
        job.put("source", "api_fetch");
        job.put("url", url);
        job.put("items_pointer", "");
        job.put("id_field", "id");
        job.put("text_fields", List.of("body"));
        return job;
    }

    @Test
    void api_fetch_connects_to_the_address_the_guard_vetted_not_to_a_second_lookup() {
        Rake rake = Rake.forNewTenant("rebind-api");

        rake.awaitCompleted(rake.submit(apiJob("http://rebind.ragline.test:" + port + "/items")));

        assertThat(rake.documents().getList("items.source_id")).containsExactly("T-1");
        assertThat(permittedSaw).containsExactly("rebind.ragline.test:" + port + "/items");
        assertThat(reboundSaw).isEmpty();
        assertThat(resolver.lookups("rebind.ragline.test")).isEqualTo(1);
    }

    @Test
    void each_redirect_hop_is_looked_up_once_vetted_and_connected_to_by_that_address() {
        Rake rake = Rake.forNewTenant("rebind-redirect");

        rake.awaitCompleted(rake.submit(apiJob("http://first.ragline.test:" + port + "/hop")));

        assertThat(rake.documents().getList("items.source_id")).containsExactly("T-1");
        assertThat(permittedSaw).containsExactly("first.ragline.test:" + port + "/hop",
                "second.ragline.test:" + port + "/items");
        assertThat(reboundSaw).isEmpty();
        assertThat(resolver.lookups("first.ragline.test")).isEqualTo(1);
        assertThat(resolver.lookups("second.ragline.test")).isEqualTo(1);
    }

    @Test
    void url_scrape_reads_robots_txt_and_the_page_from_the_vetted_address_only() {
        Rake rake = Rake.forNewTenant("rebind-scrape");

        JsonPath job = rake.awaitCompleted(rake.submit(Map.of("source", "url_scrape", "urls",
                List.of("http://rebind.ragline.test:" + port + "/page"))));

        assertThat(job.getInt("progress.documents_done")).isEqualTo(1);
        assertThat(permittedSaw).containsExactly("rebind.ragline.test:" + port + "/robots.txt",
                "rebind.ragline.test:" + port + "/page");
        assertThat(reboundSaw).isEmpty();
        // robots.txt and the page share the one vetted connection: the name is looked up once
        assertThat(resolver.lookups("rebind.ragline.test")).isEqualTo(1);
    }
}
