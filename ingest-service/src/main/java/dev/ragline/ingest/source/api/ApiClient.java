package dev.ragline.ingest.source.api;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.source.web.GuardedHttp;
import dev.ragline.ingest.source.web.HostPacer;
import dev.ragline.ingest.source.web.SsrfGuard;

/**
 * One API request the careful way, through {@link GuardedHttp}: every hop passes the SSRF guard, connects to the
 * address it vetted and waits for the per-host pacer; a 429 waits as long as its Retry-After asks, 5xx and broken
 * connections are retried with a doubling backoff, the body is capped. Errors name the URL without its query string, which may
 * carry a key.
 */
@ApplicationScoped
public class ApiClient {

    private static final int MAX_REDIRECTS = 5;

    private final IngestConfig.Api config;
    private final String userAgent;
    private final GuardedHttp http;

    ApiClient(IngestConfig config, SsrfGuard guard, HostPacer pacer) {
        this.config = config.api();
        this.userAgent = config.scrape().userAgent();
        this.http = new GuardedHttp(guard, pacer, this.config.timeout(), MAX_REDIRECTS, this.config.maxResponseBytes(),
                "response");
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }

    public GuardedHttp.Response send(GuardedHttp.Request request)
            throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        Duration backoff = config.initialBackoff();
        for (int attempt = 0;; attempt++) {
            GuardedHttp.Response response;
            try {
                response = sendOnce(request);
            } catch (IOException e) {
                if (attempt >= config.maxRetries()) {
                    throw new IOException(request.method() + " " + shown(request.url()) + " failed after "
                            + (attempt + 1) + " attempts: " + e.getMessage());
                }
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
                continue;
            }
            int status = response.status();
            boolean retryable = status == 429 || status >= 500;
            if (!retryable) {
                return response;
            }
            if (attempt >= config.maxRetries()) {
                throw new IOException(request.method() + " " + shown(request.url()) + " answered " + status + " after "
                        + (attempt + 1) + " attempts");
            }
            Duration wait = status == 429 ? retryAfter(response).orElse(backoff) : backoff;
            if (wait.compareTo(config.maxRetryAfter()) > 0) {
                throw new IOException(shown(request.url()) + " asked to retry after " + wait.toSeconds()
                        + "s, more than rake.api.max-retry-after");
            }
            Thread.sleep(wait.toMillis());
            backoff = backoff.multipliedBy(2);
        }
    }

    private GuardedHttp.Response sendOnce(GuardedHttp.Request request)
            throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.headers().keySet().stream().noneMatch("User-Agent"::equalsIgnoreCase)) {
            headers.put("User-Agent", userAgent);
        }
        if (request.headers().keySet().stream().noneMatch("Accept"::equalsIgnoreCase)) {
            headers.put("Accept", "application/json");
        }
        headers.putAll(request.headers());
        return http.send(new GuardedHttp.Request(request.method(), request.url(), headers, request.body(),
                request.contentType()));
    }

    /** Retry-After as seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(GuardedHttp.Response response) {
        return response.header("Retry-After").map(String::trim).flatMap(value -> {
            if (value.matches("\\d+")) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            }
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    static String shown(URI url) {
        return GuardedHttp.shown(url);
    }
}
