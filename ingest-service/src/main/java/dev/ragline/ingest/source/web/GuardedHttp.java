package dev.ragline.ingest.source.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of every source that fetches a tenant's URLs (url_scrape's robots.txt and pages, api_fetch,
 * sec_edgar). Its DNS resolver is {@link SsrfGuard#vet}: a new connection looks the name up once, there, and
 * connects to the very addresses that were vetted, so a name answering differently a moment later (DNS
 * rebinding) reaches nothing new. The request keeps the name, so the Host header, TLS SNI and the certificate
 * check use it. Redirects are followed here, one hop at a time, each hop checked, paced and connected the same
 * way. Bodies are capped. No proxy is used (the system's proxy settings are not read).
 */
public final class GuardedHttp implements AutoCloseable {

    private final SsrfGuard guard;
    private final HostPacer pacer;
    private final int maxRedirects;
    private final long maxBodyBytes;
    private final String what;
    private final CloseableHttpClient client;

    public GuardedHttp(SsrfGuard guard, HostPacer pacer, Duration timeout, int maxRedirects, long maxBodyBytes,
            String what) {
        this.guard = guard;
        this.pacer = pacer;
        this.maxRedirects = maxRedirects;
        this.maxBodyBytes = maxBodyBytes;
        this.what = what;
        Timeout limit = Timeout.of(timeout);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(new Vetting(guard))
                        .setDefaultConnectionConfig(
                                ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit).build())
                        .setMaxConnPerRoute(4).setMaxConnTotal(64).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(limit).build())
                // redirects are followed by hand, retries are the caller's, and bodies arrive as sent
                .disableRedirectHandling().disableAutomaticRetries().disableContentCompression().disableCookieManagement()
                .build();
    }

    public record Request(String method, URI url, Map<String, String> headers, String body, String contentType) {
    }

    /** The last hop's answer: its URL, status, headers (names lower-cased) and body. */
    public record Response(URI url, int status, Map<String, List<String>> headers, byte[] body) {
        public Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    public Response send(Request request) throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        URI current = request.url();
        for (int hop = 0; hop <= maxRedirects; hop++) {
            guard.check(current);
            pacer.awaitTurn(current.getHost());
            HttpUriRequestBase message = new HttpUriRequestBase(request.method(), current);
            request.headers().forEach(message::addHeader);
            if (request.body() != null) {
                // the bytes are UTF-8 and the Content-Type header is the one given, word for word
                message.setEntity(new ByteArrayEntity(request.body().getBytes(StandardCharsets.UTF_8),
                        ContentType.parse(request.contentType())));
            }
            URI url = current;
            Response response;
            try {
                // a redirect's body is read (capped) too, so the connection goes back to the pool clean
                response = client.execute(message, answer -> new Response(url, answer.getCode(), headers(answer.getHeaders()),
                        answer.getEntity() == null ? new byte[0]
                                : CappedBody.read(answer.getEntity().getContent(), maxBodyBytes, what)));
            } catch (SsrfGuard.RefusedConnection e) {
                throw (SsrfGuard.RefusedUrl) e.getCause();
            }
            Optional<String> location = response.header("Location");
            if (response.status() >= 300 && response.status() < 400 && location.isPresent()) {
                current = current.resolve(location.get());
                continue;
            }
            return response;
        }
        throw new IOException("more than " + maxRedirects + " redirects from " + shown(request.url()));
    }

    /** A URL fit for an error message: without its query string, which may carry a key. */
    public static String shown(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    private static Map<String, List<String>> headers(Header[] headers) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (Header header : headers) {
            byName.computeIfAbsent(header.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>()).add(header.getValue());
        }
        return byName;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    /** The connection manager's only way to turn a name into addresses: the guard's one vetted lookup. */
    private record Vetting(SsrfGuard guard) implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            try {
                return guard.vet(host).toArray(InetAddress[]::new);
            } catch (SsrfGuard.RefusedUrl e) {
                throw new SsrfGuard.RefusedConnection(e);
            }
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            // only Kerberos authentication asks for it, and it would be a second lookup
            return host;
        }
    }
}
