package dev.ragline.ingest.source.web;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.IngestConfig;

/**
 * GETs a page (or a robots.txt) through {@link GuardedHttp}: every redirect hop passes the SSRF guard and
 * connects to the address it vetted, the body is capped, and each host gets the configured pause between requests.
 */
@ApplicationScoped
public class PageFetcher {

    private final IngestConfig.Scrape config;
    private final GuardedHttp http;

    PageFetcher(IngestConfig config, SsrfGuard guard, HostPacer pacer) {
        this.config = config.scrape();
        this.http = new GuardedHttp(guard, pacer, this.config.timeout(), this.config.maxRedirects(),
                this.config.maxPageBytes(), "page");
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
        GuardedHttp.Response response = http.send(new GuardedHttp.Request("GET", url,
                Map.of("User-Agent", config.userAgent(), "Accept", "text/html,text/plain;q=0.9,*/*;q=0.5"), null, null));
        return new Page(response.url(), response.status(), response.header("Content-Type").orElse(""), response.body());
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }
}
