package dev.ragline.ingest.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

import dev.ragline.ingest.source.RawDocument;

/**
 * CLEAN: HTML to text that keeps headings, lists and tables readable; scripts, styles and navigation
 * dropped; Unicode (NFKC) and whitespace normalised; a SHA-256 content hash for idempotent re-ingestion.
 */
@ApplicationScoped
public class Cleaner {

    private static final String BOILERPLATE = "script, style, noscript, template, nav, header, footer, aside, form,"
            + " iframe, svg, canvas, button, [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true],"
            + " .cookie-banner, .advert, .ads";
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]|[\\p{Cf}]");
    private static final Pattern HORIZONTAL_SPACE = Pattern.compile("[\\t\\p{Zs}]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");

    /** The cleaned document, or empty when nothing readable is left. */
    public Optional<CleanDocument> clean(RawDocument raw) {
        String text = normalise(raw.html() ? htmlToText(raw.content()) : raw.content());
        if (text.isBlank()) {
            return Optional.empty();
        }
        String title = raw.title() == null ? null : normalise(raw.title());
        return Optional.of(new CleanDocument(raw.sourceId(), title, raw.url(), text, sha256(text), raw.metadata()));
    }

    static String normalise(String text) {
        String normal = Normalizer.normalize(text, Normalizer.Form.NFKC).replace("\r\n", "\n").replace('\r', '\n');
        normal = CONTROL.matcher(normal).replaceAll("");
        StringBuilder out = new StringBuilder(normal.length());
        for (String line : normal.split("\n", -1)) {
            out.append(HORIZONTAL_SPACE.matcher(line).replaceAll(" ").strip()).append('\n');
        }
        return BLANK_LINES.matcher(out).replaceAll("\n\n").strip();
    }

    static String htmlToText(String html) {
        Document document = Jsoup.parse(html);
        document.select(BOILERPLATE).remove();
        Element main = document.selectFirst("main, article, [role=main]");
        StringBuilder out = new StringBuilder();
        render(main != null ? main : document.body(), out);
        return out.toString();
    }

    private static void render(Node node, StringBuilder out) {
        if (node instanceof TextNode text) {
            out.append(text.getWholeText().replace('\n', ' '));
            return;
        }
        if (!(node instanceof Element element)) {
            return;
        }
        String tag = element.normalName();
        switch (tag) {
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                block(out);
                out.append("#".repeat(tag.charAt(1) - '0')).append(' ').append(element.text()).append("\n\n");
            }
            case "li" -> {
                newline(out);
                out.append("- ");
                children(element, out);
                newline(out);
            }
            case "tr" -> {
                newline(out);
                out.append(String.join(" | ", element.select("> th, > td").eachText()));
                newline(out);
            }
            case "br" -> out.append('\n');
            case "pre" -> {
                block(out);
                out.append(element.wholeText()).append("\n\n");
            }
            case "p", "div", "section", "table", "ul", "ol", "blockquote", "dl", "dt", "dd", "figure", "body",
                    "article", "main" -> {
                block(out);
                children(element, out);
                block(out);
            }
            default -> children(element, out);
        }
    }

    private static void children(Element element, StringBuilder out) {
        for (Node child : element.childNodes()) {
            render(child, out);
        }
    }

    private static void newline(StringBuilder out) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
    }

    private static void block(StringBuilder out) {
        newline(out);
        if (out.length() >= 2 && out.charAt(out.length() - 2) != '\n') {
            out.append('\n');
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
