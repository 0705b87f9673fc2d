package dev.ragline.ingest.source.edgar;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.source.RawDocument;
import dev.ragline.ingest.source.Source;
import dev.ragline.ingest.source.SourceContext;
import dev.ragline.ingest.source.api.ApiClient;
import dev.ragline.ingest.source.web.GuardedHttp;
import dev.ragline.ingest.source.web.HostPacer;
import dev.ragline.ingest.source.web.SsrfGuard;

/**
 * A company's filings from SEC EDGAR: the tickers map gives the CIK, the submissions JSON lists the filings,
 * each primary document is cleaned to text and split by item, one document per item with the item as
 * metadata (so search can filter on {@code item}), and company, CIK, form, filing date and accession number.
 */
@ApplicationScoped
public class SecEdgarSource implements Source {

    public static final String NAME = "sec_edgar";
    private static final int MAX_LIMIT = 100;
    private static final Set<String> ITEMISED_FORMS = Set.of("10-K", "10-Q", "10-K/A", "10-Q/A", "8-K", "8-K/A");

    private final ApiClient client;
    private final HostPacer pacer;
    private final ObjectMapper json;
    private final IngestConfig.Edgar config;

    SecEdgarSource(ApiClient client, HostPacer pacer, ObjectMapper json, IngestConfig config) {
        this.client = client;
        this.pacer = pacer;
        this.json = json;
        this.config = config.edgar();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode validate(ObjectNode params) {
        if (config.userAgent().filter(agent -> !agent.isBlank()).isEmpty()) {
            throw new ProblemException(503, "source-unavailable", "Source unavailable",
                    "sec_edgar needs rake.edgar.user-agent (RAKE_EDGAR_USER_AGENT), as SEC requires");
        }
        boolean ticker = params.path("ticker").isTextual() && !params.path("ticker").asText().isBlank();
        boolean cik = params.path("cik").canConvertToLong() || params.path("cik").asText("").matches("\\d{1,10}");
        if (ticker == cik) {
            throw ProblemException.badRequest("ticker or cik is required (one of them)");
        }
        JsonNode forms = params.path("form_types");
        if (!forms.isMissingNode() && (!forms.isArray() || forms.isEmpty())) {
            throw ProblemException.badRequest("form_types must be a list such as [\"10-K\", \"10-Q\", \"8-K\"]");
        }
        date(params, "since");
        date(params, "until");
        JsonNode limit = params.path("limit");
        if (!limit.isMissingNode() && (!limit.isIntegralNumber() || limit.asInt() < 1 || limit.asInt() > MAX_LIMIT)) {
            throw ProblemException.badRequest("limit must be an integer from 1 to " + MAX_LIMIT);
        }
        return params;
    }

    private static LocalDate date(JsonNode params, String name) {
        JsonNode value = params.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            return LocalDate.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be a date (YYYY-MM-DD)");
        }
    }

    @Override
    public void fetch(SourceContext context, JsonNode params)
            throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        long cik = params.hasNonNull("cik") ? Long.parseLong(params.path("cik").asText())
                : lookUpCik(params.path("ticker").asText());
        JsonNode submissions = getJson(config.dataBaseUrl() + String.format("/submissions/CIK%010d.json", cik));
        String company = submissions.path("name").asText("CIK " + cik);
        JsonNode recent = submissions.path("filings").path("recent");
        Set<String> forms = new java.util.HashSet<>();
        params.path("form_types").forEach(form -> forms.add(form.asText().toUpperCase(Locale.ROOT)));
        if (forms.isEmpty()) {
            forms.addAll(Set.of("10-K", "10-Q", "8-K"));
        }
        LocalDate since = date(params, "since");
        LocalDate until = date(params, "until");
        int limit = params.path("limit").asInt(10);
        int taken = 0;
        for (int i = 0; i < recent.path("accessionNumber").size() && taken < limit; i++) {
            String form = recent.path("form").path(i).asText();
            LocalDate filed = LocalDate.parse(recent.path("filingDate").path(i).asText());
            if (!forms.contains(form.toUpperCase(Locale.ROOT)) || (since != null && filed.isBefore(since))
                    || (until != null && filed.isAfter(until))) {
                continue;
            }
            taken++;
            context.checkpoint();
            String accession = recent.path("accessionNumber").path(i).asText();
            String primary = recent.path("primaryDocument").path(i).asText();
            String url = config.baseUrl() + "/Archives/edgar/data/" + cik + "/" + accession.replace("-", "") + "/" + primary;
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("company_name", company);
            metadata.put("cik", String.format("%010d", cik));
            metadata.put("form", form);
            metadata.put("filing_date", filed.toString());
            metadata.put("accession_number", accession);
            try {
                emitFiling(context, get(url), url, accession, company, form, filed, metadata);
            } catch (IOException e) {
                context.documentFailed(accession, e.getMessage());
            }
        }
    }

    private void emitFiling(SourceContext context, GuardedHttp.Response filing, String url, String accession,
            String company, String form, LocalDate filed, Map<String, Object> metadata) throws IOException {
        if (filing.status() != 200) {
            throw new IOException("HTTP " + filing.status() + " for " + url);
        }
        String text = FilingText.text(new String(filing.body(), StandardCharsets.UTF_8));
        String title = company + " " + form + " " + filed;
        List<FilingText.Section> items = ITEMISED_FORMS.contains(form.toUpperCase(Locale.ROOT)) ? FilingText.items(text)
                : List.of();
        if (items.isEmpty()) {
            context.emit(new RawDocument(accession, title, url, false, text, metadata));
            return;
        }
        // A 10-Q numbers its items again in each part: there the part is part of a section's identity.
        boolean itemsRepeat = items.stream().map(FilingText.Section::item).distinct().count() < items.size();
        for (FilingText.Section section : items) {
            Map<String, Object> itemMetadata = new LinkedHashMap<>(metadata);
            itemMetadata.put("item", section.item());
            String part = section.part() == null ? "" : "Part " + section.part() + " ";
            if (section.part() != null) {
                itemMetadata.put("part", section.part());
            }
            String sectionId = (itemsRepeat && section.part() != null ? "part-" + section.part() + "-" : "") + "item-"
                    + section.item();
            context.emit(new RawDocument(accession + "#" + sectionId.toLowerCase(Locale.ROOT),
                    title + " " + part + "Item " + section.item(), url, false, section.text(), itemMetadata));
        }
    }

    private long lookUpCik(String ticker) throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        JsonNode companies = getJson(config.baseUrl() + "/files/company_tickers.json");
        for (JsonNode company : companies) {
            if (company.path("ticker").asText().equalsIgnoreCase(ticker)) {
                return company.path("cik_str").asLong();
            }
        }
        throw new IOException("EDGAR knows no ticker " + ticker);
    }

    private JsonNode getJson(String url) throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        GuardedHttp.Response response = get(url);
        if (response.status() != 200) {
            throw new IOException("EDGAR answered " + response.status() + " for " + url);
        }
        return json.readTree(response.body());
    }

    private GuardedHttp.Response get(String url) throws IOException, InterruptedException, SsrfGuard.RefusedUrl {
        pacer.awaitTurn("sec-edgar", config.requestInterval());
        return client.send(new GuardedHttp.Request("GET", URI.create(url),
                Map.of("User-Agent", config.userAgent().orElseThrow(), "Accept", "application/json, text/html"), null,
                null));
    }

}
