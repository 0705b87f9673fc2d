package dev.ragline.ingest.source.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.source.web.CappedBody;
import dev.ragline.ingest.source.web.HostPacer;
import dev.ragline.ingest.source.web.SsrfGuard;

/**
 * One API request the careful way: every hop passes the SSRF guard and the per-host pacer, a 429 waits as
 * long as its Retry-After asks, 5xx and broken connections are retried with a doubling backoff, the body
 * is capped. Errors name the URL without its query string, which may carry a key.
 */
@ApplicationScoped
public class ApiClient {

    private static final int MAX_REDIRECTS = 5;

    private final IngestConfig.Api config;
    private final String userAgent;
    private final SsrfGuard guard;
    private final HostPacer pacer;
    private final HttpClient client;

    ApiClient(IngestConfig config, SsrfGuard guard, HostPacer pacer) {
        this.config = config.api();
        this.userAgent = config.scrape().userAgent();
        this.guard = guard;
        this.pacer = pacer;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(this.config.timeout()).build();
    }

    public record Request(String method, URI url, Map<String, String> headers, String body, String contentType) {
    }

    public record Response(URI url, int status, HttpResponse<?> head, byte[] body) {
        public Optional<String> header(String name) {
            return head.headers().firstValue(name);
        }
    }

    public Response send(Request request) throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        Duration backoff = config.initialBackoff();
        for (int attempt = 0;; attempt++) {
            Response response;
            try {
                response = sendFollowingRedirects(request);
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

    private Response sendFollowingRedirects(Request request)
            throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        URI current = request.url();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            guard.check(current);
            pacer.awaitTurn(current.getHost());
            HttpRequest.Builder builder = HttpRequest.newBuilder(current).timeout(config.timeout());
            if (request.headers().keySet().stream().noneMatch("User-Agent"::equalsIgnoreCase)) {
                builder.header("User-Agent", userAgent);
            }
            if (request.headers().keySet().stream().noneMatch("Accept"::equalsIgnoreCase)) {
                builder.header("Accept", "application/json");
            }
            request.headers().forEach(builder::header);
            if (request.body() != null) {
                builder.header("Content-Type", request.contentType());
                builder.method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
            } else {
                builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            Optional<String> location = response.headers().firstValue("Location");
            if (response.statusCode() >= 300 && response.statusCode() < 400 && location.isPresent()) {
                response.body().close();
                current = current.resolve(location.get());
                continue;
            }
            return new Response(current, response.statusCode(), response,
                    CappedBody.read(response.body(), config.maxResponseBytes(), "response"));
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + shown(request.url()));
    }

    /** Retry-After as seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(Response response) {
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
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
