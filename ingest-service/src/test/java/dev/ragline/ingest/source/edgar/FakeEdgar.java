package dev.ragline.ingest.source.edgar;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import dev.ragline.ingest.support.HttpExchanges;

/** EDGAR's www.sec.gov and data.sec.gov paths on loopback, replaying real-format fixtures from src/test/resources/edgar. */
public class FakeEdgar {

    /** The port %test.rake.edgar.base-url names. */
    static final int PORT = 48733;

    public static final List<String> USER_AGENTS = new CopyOnWriteArrayList<>();
    private HttpServer server;

    public void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> routes = Map.of(
                "/files/company_tickers.json", "company_tickers.json",
                "/data/submissions/CIK0000320193.json", "CIK0000320193.json",
                "/Archives/edgar/data/320193/000032019324000123/aapl-20240928.htm", "aapl-20240928.htm",
                "/Archives/edgar/data/320193/000032019324000120/aapl-20241031.htm", "aapl-20241031.htm",
                "/Archives/edgar/data/320193/000032019325000057/aapl-20250329.htm", "aapl-20250329.htm");
        server.createContext("/", exchange -> {
            USER_AGENTS.add(String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
            String fixture = routes.get(exchange.getRequestURI().getPath());
            if (fixture == null) {
                HttpExchanges.respond(exchange, 404, "text/plain", "Not Found");
                return;
            }
            try (InputStream in = FakeEdgar.class.getResourceAsStream("/edgar/" + fixture)) {
                HttpExchanges.respond(exchange, 200, fixture.endsWith(".json") ? "application/json" : "text/html",
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    public void stop() {
        server.stop(0);
    }
}
