package dev.ragline.ingest.source.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.source.RawDocument;
import dev.ragline.ingest.source.Source;
import dev.ragline.ingest.source.SourceContext;

/**
 * Web pages from a list of URLs, optionally crawling links on the same site breadth-first up to a
 * depth and a page count, respecting robots.txt; {@link PageFetcher} paces requests per host.
 */
@ApplicationScoped
public class UrlScrapeSource implements Source {

    public static final String NAME = "url_scrape";
    private static final int MAX_URLS = 100;

    private final IngestConfig.Scrape config;
    private final PageFetcher fetcher;

    UrlScrapeSource(IngestConfig config, PageFetcher fetcher) {
        this.config = config.scrape();
        this.fetcher = fetcher;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode validate(ObjectNode params) {
        JsonNode urls = params.path("urls");
        if (!urls.isArray() || urls.isEmpty() || urls.size() > MAX_URLS) {
            throw ProblemException.badRequest("urls must be a list of 1 to " + MAX_URLS + " http(s) URLs");
        }
        ArrayNode normalised = params.arrayNode();
        for (JsonNode url : urls) {
            normalised.add(parseUrl(url.asText()).toString());
        }
        params.set("urls", normalised);
        JsonNode crawl = params.path("crawl");
        if (!crawl.isMissingNode() && !crawl.isBoolean()) {
            throw ProblemException.badRequest("crawl must be true or false");
        }
        params.put("crawl", crawl.asBoolean(false));
        params.put("max_depth", boundedInt(params, "max_depth", 1, 0, config.maxDepth()));
        params.put("max_pages", boundedInt(params, "max_pages", 20, 1, config.maxPages()));
        return params;
    }

    private static URI parseUrl(String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw ProblemException.badRequest("urls: not an http(s) URL: " + text);
            }
            return withoutFragment(uri);
        } catch (URISyntaxException e) {
            throw ProblemException.badRequest("urls: not a URL: " + text);
        }
    }

    private static int boundedInt(ObjectNode params, String name, int fallback, int min, int max) {
        JsonNode value = params.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isInt() || value.asInt() < min || value.asInt() > max) {
            throw ProblemException.badRequest(name + " must be an integer from " + min + " to " + max);
        }
        return value.asInt();
    }

    private record Visit(URI url, int depth) {
    }

    @Override
    public void fetch(SourceContext context, JsonNode params) throws InterruptedException {
        RobotsRules robots = new RobotsRules(fetcher, config.userAgent());
        boolean crawl = params.path("crawl").asBoolean(false);
        int maxDepth = crawl ? params.path("max_depth").asInt(1) : 0;
        int maxPages = params.path("max_pages").asInt(20);

        Deque<Visit> queue = new ArrayDeque<>();
        Set<URI> seen = new HashSet<>();
        params.path("urls").forEach(url -> {
            URI uri = URI.create(url.asText());
            if (seen.add(uri)) {
                queue.add(new Visit(uri, 0));
            }
        });
        int pages = 0;
        while (!queue.isEmpty() && pages < maxPages) {
            context.checkpoint();
            Visit visit = queue.poll();
            if (!robots.allowed(visit.url())) {
                context.documentFailed(visit.url().toString(), "disallowed by robots.txt");
                continue;
            }
            pages++;
            try {
                PageFetcher.Page page = fetcher.get(visit.url());
                if (!page.ok()) {
                    context.documentFailed(visit.url().toString(), "HTTP " + page.status());
                } else if (page.html()) {
                    Document html = Jsoup.parse(new ByteArrayInputStream(page.body()), charsetOf(page.contentType()),
                            page.url().toString());
                    context.emit(document(visit.url(), page, html));
                    if (visit.depth() < maxDepth) {
                        enqueueLinks(html, visit, queue, seen);
                    }
                } else if (page.contentType().startsWith("text/plain")) {
                    context.emit(new RawDocument(visit.url().toString(), visit.url().getPath(), visit.url().toString(),
                            false, new String(page.body(), StandardCharsets.UTF_8), metadata(page)));
                } else {
                    context.documentFailed(visit.url().toString(), "unsupported content type " + page.contentType());
                }
            } catch (SsrfGuard.RefusedUrl e) {
                context.documentFailed(visit.url().toString(), "refused: " + e.getMessage());
            } catch (IOException e) {
                context.documentFailed(visit.url().toString(), "fetch failed: " + e.getMessage());
            }
        }
    }

    private static RawDocument document(URI requested, PageFetcher.Page page, Document html) {
        String title = html.title().isBlank() ? requested.toString() : html.title();
        return new RawDocument(requested.toString(), title, page.url().toString(), true, html.outerHtml(),
                metadata(page));
    }

    private static Map<String, Object> metadata(PageFetcher.Page page) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("url", page.url().toString());
        metadata.put("content_type", page.contentType());
        return metadata;
    }

    private static void enqueueLinks(Document html, Visit visit, Deque<Visit> queue, Set<URI> seen) {
        for (Element link : html.select("a[href]")) {
            String href = link.absUrl("href");
            if (href.isBlank()) {
                continue;
            }
            try {
                URI target = withoutFragment(new URI(href));
                if (sameSite(visit.url(), target) && seen.add(target)) {
                    queue.add(new Visit(target, visit.depth() + 1));
                }
            } catch (URISyntaxException e) {
                // a malformed link on the page is not the job's problem
            }
        }
    }

    private static boolean sameSite(URI from, URI to) {
        return to.getHost() != null && (to.getScheme().equals("http") || to.getScheme().equals("https"))
                && hostOf(from).equals(hostOf(to)) && from.getPort() == to.getPort();
    }

    private static String hostOf(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("www.") ? host.substring(4) : host;
    }

    private static URI withoutFragment(URI uri) throws URISyntaxException {
        URI clean = new URI(uri.getScheme(), uri.getRawAuthority() == null ? null : uri.getAuthority(), uri.getPath(),
                uri.getQuery(), null);
        return clean.getPath() == null || clean.getPath().isEmpty() ? clean.resolve("/") : clean;
    }

    private static String charsetOf(String contentType) {
        int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
        return at < 0 ? null : contentType.substring(at + 8).replace("\"", "").trim();
    }
}
