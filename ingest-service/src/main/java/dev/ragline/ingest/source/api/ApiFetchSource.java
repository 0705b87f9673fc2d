package dev.ragline.ingest.source.api;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.source.RawDocument;
import dev.ragline.ingest.source.SecretParams;
import dev.ragline.ingest.source.Source;
import dev.ragline.ingest.source.SourceContext;
import dev.ragline.ingest.source.web.GuardedHttp;
import dev.ragline.ingest.source.web.SsrfGuard;

/**
 * Ingests the items of a JSON API: each item under {@code items_pointer} is a document identified by
 * {@code id_field}. Pages follow one of three styles: a page number parameter, a cursor read from the
 * response, or the {@code Link: <…>; rel="next"} header, up to {@code max_pages}.
 */
@ApplicationScoped
public class ApiFetchSource implements Source {

    public static final String NAME = "api_fetch";
    private static final Set<String> METHODS = Set.of("GET", "POST");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?",
            Pattern.CASE_INSENSITIVE);

    private final ApiClient client;
    private final ObjectMapper json;
    private final IngestConfig.Api config;

    ApiFetchSource(ApiClient client, ObjectMapper json, IngestConfig config) {
        this.client = client;
        this.json = json;
        this.config = config.api();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode validate(ObjectNode params) {
        URI url = httpUrl(params.path("url"));
        String method = params.path("method").asText("GET").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw ProblemException.badRequest("method must be GET or POST");
        }
        params.put("method", method);
        JsonNode headers = params.path("headers");
        if (!headers.isMissingNode()) {
            if (!headers.isObject()) {
                throw ProblemException.badRequest("headers must be an object of header names to string values");
            }
            headers.properties().forEach(header -> {
                if (!header.getValue().isTextual()) {
                    throw ProblemException.badRequest("headers." + header.getKey() + " must be a string");
                }
            });
        }
        if (params.has("body") && method.equals("GET")) {
            throw ProblemException.badRequest("body needs method POST");
        }
        try {
            JsonPointer.compile(params.path("items_pointer").asText(""));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("items_pointer must be a JSON pointer such as /data/items");
        }
        if (!params.path("id_field").isTextual() || params.path("id_field").asText().isBlank()) {
            throw ProblemException.badRequest("id_field is required (a string)");
        }
        if (fields(params, "text_fields").isEmpty()) {
            throw ProblemException.badRequest("text_fields must name at least one field");
        }
        fields(params, "metadata_fields");
        validatePagination(params.path("pagination"));
        JsonNode maxPages = params.path("max_pages");
        if (!maxPages.isMissingNode()
                && (!maxPages.isIntegralNumber() || maxPages.asInt() < 1 || maxPages.asInt() > config.maxPages())) {
            throw ProblemException.badRequest("max_pages must be an integer from 1 to " + config.maxPages());
        }
        params.put("url", url.toString());
        return params;
    }

    private static void validatePagination(JsonNode pagination) {
        if (pagination.isMissingNode() || pagination.isNull()) {
            return;
        }
        String type = pagination.path("type").asText("");
        switch (type) {
            case "page", "link" -> {
            }
            case "cursor" -> {
                if (!pagination.path("cursor_pointer").isTextual()) {
                    throw ProblemException.badRequest("pagination.cursor_pointer is required for type cursor");
                }
                try {
                    JsonPointer.compile(pagination.path("cursor_pointer").asText());
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest("pagination.cursor_pointer must be a JSON pointer");
                }
            }
            default -> throw ProblemException.badRequest("pagination.type must be page, cursor or link");
        }
    }

    @Override
    public ObjectNode redact(ObjectNode params) {
        ObjectNode masked = SecretParams.masked(params);
        // Every header value: an API key may travel under any name (X-Api-Key, Authorization, X-Auth ...).
        if (masked.path("headers") instanceof ObjectNode headers) {
            headers.properties().forEach(header -> header.setValue(headers.textNode(SecretParams.MASK)));
        }
        return masked;
    }

    @Override
    public void fetch(SourceContext context, JsonNode params)
            throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        Map<String, String> headers = new LinkedHashMap<>();
        params.path("headers").properties().forEach(header -> headers.put(header.getKey(), header.getValue().asText()));
        JsonNode bodyParam = params.path("body");
        String body = bodyParam.isMissingNode() || bodyParam.isNull() ? null
                : bodyParam.isTextual() ? bodyParam.asText() : bodyParam.toString();
        String contentType = bodyParam.isTextual() ? "text/plain; charset=utf-8" : "application/json";
        JsonPointer items = JsonPointer.compile(params.path("items_pointer").asText(""));
        JsonNode pagination = params.path("pagination");
        String style = pagination.path("type").asText("none");
        String pageParam = pagination.path("param").asText(style.equals("cursor") ? "cursor" : "page");
        int page = pagination.path("start").asInt(1);
        int maxPages = params.path("max_pages").asInt(10);

        URI base = URI.create(params.path("url").asText());
        URI next = style.equals("page") ? withQuery(base, pageParam, Integer.toString(page)) : base;
        for (int fetched = 0; next != null && fetched < maxPages; fetched++) {
            context.checkpoint();
            GuardedHttp.Response response = client.send(new GuardedHttp.Request(params.path("method").asText("GET"), next,
                    headers, body, contentType));
            if (response.status() < 200 || response.status() >= 300) {
                throw new IOException(params.path("method").asText("GET") + " " + ApiClient.shown(next) + " answered "
                        + response.status());
            }
            JsonNode document = json.readTree(response.body());
            JsonNode list = document.at(items);
            if (!list.isArray()) {
                throw new IOException("no item list at items_pointer '" + items + "' in the response of "
                        + ApiClient.shown(next));
            }
            list.forEach(item -> emitItem(context, params, item));
            next = switch (style) {
                case "page" -> list.isEmpty() ? null : withQuery(base, pageParam, Integer.toString(++page));
                case "cursor" -> {
                    JsonNode cursor = document.at(pagination.path("cursor_pointer").asText());
                    yield cursor.isValueNode() && !cursor.isNull() && !cursor.asText().isEmpty()
                            ? withQuery(base, pageParam, cursor.asText())
                            : null;
                }
                case "link" -> nextLink(response).map(response.url()::resolve).orElse(null);
                default -> null;
            };
        }
    }

    private void emitItem(SourceContext context, JsonNode params, JsonNode item) {
        JsonNode id = field(item, params.path("id_field").asText());
        if (!id.isValueNode() || id.isNull() || id.asText().isBlank()) {
            context.documentFailed("(item without " + params.path("id_field").asText() + ")",
                    params.path("id_field").asText() + " is missing");
            return;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode name : params.path("text_fields")) {
            JsonNode value = field(item, name.asText());
            if (value.isValueNode() && !value.isNull() && !value.asText().isBlank()) {
                texts.add(value.asText());
            } else if (value.isContainerNode()) {
                texts.add(value.toString());
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (JsonNode name : params.path("metadata_fields")) {
            JsonNode value = field(item, name.asText());
            if (!value.isMissingNode()) {
                metadata.put(name.asText(), json.convertValue(value, Object.class));
            }
        }
        String title = texts.isEmpty() ? id.asText() : texts.getFirst().lines().findFirst().orElse(id.asText());
        context.emit(new RawDocument(id.asText(), title.length() > 120 ? title.substring(0, 117) + "..." : title, null,
                false, String.join("\n\n", texts), metadata));
    }

    /** A field by name, or by JSON pointer when it starts with a slash (nested fields). */
    private static JsonNode field(JsonNode item, String name) {
        return name.startsWith("/") ? item.at(name) : item.path(name);
    }

    private static Optional<String> nextLink(GuardedHttp.Response response) {
        return response.headers("Link").stream().map(NEXT_LINK::matcher).filter(Matcher::find)
                .map(matcher -> matcher.group(1)).findFirst();
    }

    private static URI withQuery(URI base, String name, String value) {
        String pair = URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        String query = base.getRawQuery() == null ? pair : base.getRawQuery() + "&" + pair;
        return URI
                .create(base.getScheme() + "://" + base.getRawAuthority() + (base.getRawPath() == null ? "" : base.getRawPath())
                        + "?" + query);
    }

    private static URI httpUrl(JsonNode value) {
        try {
            URI url = URI.create(value.asText(""));
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (value.isTextual() && (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ProblemException.badRequest("url must be an http(s) URL");
    }

    private static List<String> fields(ObjectNode params, String name) {
        JsonNode value = params.path(name);
        if (value.isMissingNode()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        value.forEach(item -> names.add(item.asText("")));
        if (!value.isArray() || names.stream().anyMatch(String::isBlank)) {
            throw ProblemException.badRequest(name + " must be a list of field names (or JSON pointers)");
        }
        return names;
    }
}
