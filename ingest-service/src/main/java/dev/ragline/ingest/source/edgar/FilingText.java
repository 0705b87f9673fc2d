package dev.ragline.ingest.source.edgar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A filing (HTML or inline XBRL) as text, split by its items (Item 1, 1A, 7, 7A … of a 10-K or 10-Q;
 * Item 2.02 … of an 8-K). An item named twice (table of contents, then the body) keeps its longest section.
 */
public final class FilingText {

    private static final Pattern ITEM = Pattern
            .compile("(?im)^\\s*item\\s+(\\d{1,2}(?:\\.\\d{2})?[a-z]?)(?:\\s*[.:\\-\\u2014\\u2013]|\\s)");

    public record Section(String item, String text) {
    }

    public static String text(String html) {
        Document document = Jsoup.parse(html);
        // Inline XBRL keeps its hidden facts in ix:header; they are not the filing's prose.
        document.select("ix|header, [style*=display:none], [style*=display: none], script, style").remove();
        for (Element block : document.select("p, div, tr, li, h1, h2, h3, h4, h5, h6, br, table")) {
            block.prependText("\n");
        }
        StringBuilder text = new StringBuilder();
        for (String line : document.wholeText().split("\n")) {
            String clean = line.replace('\u00a0', ' ').replaceAll("\\s+", " ").strip();
            if (!clean.isEmpty()) {
                text.append(clean).append('\n');
            }
        }
        return text.toString();
    }

    /** The items of the text in order; empty when it names none. */
    public static List<Section> items(String text) {
        Matcher matcher = ITEM.matcher(text);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (matcher.find()) {
            starts.add(new int[] { matcher.start() });
            names.add(matcher.group(1).toUpperCase(Locale.ROOT));
        }
        Map<String, String> longest = new LinkedHashMap<>();
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
            String section = text.substring(starts.get(i)[0], end).strip();
            longest.merge(names.get(i), section, (a, b) -> a.length() >= b.length() ? a : b);
        }
        List<Section> sections = new ArrayList<>();
        longest.forEach((item, section) -> sections.add(new Section(item, section)));
        return sections;
    }

    private FilingText() {
    }
}
