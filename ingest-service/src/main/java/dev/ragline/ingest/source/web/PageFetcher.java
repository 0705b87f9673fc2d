package dev.ragline.ingest.source.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.IngestConfig;

/**
 * GETs a page the safe way: redirects are followed by hand so the SSRF guard sees every hop,
 * the body is capped, and each host gets the configured pause between requests.
 */
@ApplicationScoped
public class PageFetcher {

    private final IngestConfig.Scrape config;
    private final SsrfGuard guard;
    private final HostPacer pacer;
    private final HttpClient client;

    PageFetcher(IngestConfig config, SsrfGuard guard, HostPacer pacer) {
        this.config = config.scrape();
        this.guard = guard;
        this.pacer = pacer;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(this.config.timeout()).build();
    }

    public record Page(URI url, int status, String contentType, byte[] body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean html() {
            return contentType != null && (contentType.contains("text/html") || contentType.contains("xhtml"));
        }
    }

    public Page get(URI url) throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        URI current = url;
        for (int hop = 0; hop <= config.maxRedirects(); hop++) {
            guard.check(current);
            pacer.awaitTurn(current.getHost());
            HttpRequest request = HttpRequest.newBuilder(current).timeout(config.timeout())
                    .header("User-Agent", config.userAgent()).header("Accept", "text/html,text/plain;q=0.9,*/*;q=0.5")
                    .GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                response.body().close();
                current = current.resolve(location.get());
                continue;
            }
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            return new Page(current, status, contentType, CappedBody.read(response.body(), config.maxPageBytes(), "page"));
        }
        throw new IOException("more than " + config.maxRedirects() + " redirects from " + url);
    }

}
