package dev.ragline.ingest.source.edgar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A filing (HTML or inline XBRL) as text, split by its items (Item 1, 1A, 7, 7A … of a 10-K or 10-Q;
 * Item 2.02 … of an 8-K), each under the part heading before it (PART I, PART II …): a 10-Q numbers its
 * items again in each part, so Part I Item 1 (financial statements) and Part II Item 1 (legal proceedings) are
 * different sections. An item named twice in the same part (table of contents, then the body) keeps its
 * longest section.
 */
public final class FilingText {

    private static final Pattern ITEM = Pattern
            .compile("(?im)^\\s*item\\s+(\\d{1,2}(?:\\.\\d{2})?[a-z]?)(?:\\s*[.:\\-\\u2014\\u2013]|\\s)");

    private static final Pattern PART = Pattern.compile("(?im)^\\s*part\\s+(iv|i{1,3})\\b");

    /** A section; {@code part} is null when no part heading precedes it. */
    public record Section(String part, String item, String text) {
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
        TreeMap<Integer, String> parts = new TreeMap<>();
        Matcher partMatcher = PART.matcher(text);
        while (partMatcher.find()) {
            parts.put(partMatcher.start(), partMatcher.group(1).toUpperCase(Locale.ROOT));
        }
        Matcher matcher = ITEM.matcher(text);
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (matcher.find()) {
            starts.add(matcher.start());
            names.add(matcher.group(1).toUpperCase(Locale.ROOT));
        }
        Map<List<String>, Section> longest = new LinkedHashMap<>();
        for (int i = 0; i < starts.size(); i++) {
            int start = starts.get(i);
            int end = i + 1 < starts.size() ? starts.get(i + 1) : text.length();
            // A part heading between two items ends the first one: it belongs to neither.
            Integer nextPart = parts.higherKey(start);
            if (nextPart != null && nextPart < end) {
                end = nextPart;
            }
            Map.Entry<Integer, String> part = parts.floorEntry(start);
            Section section = new Section(part == null ? null : part.getValue(), names.get(i),
                    text.substring(start, end).strip());
            longest.merge(Arrays.asList(section.part(), section.item()), section,
                    (a, b) -> a.text().length() >= b.text().length() ? a : b);
        }
        // Items named before the first part heading (a table of contents without part rows) are dropped when the
        // body names them again under a part.
        Set<String> itemsUnderParts = new HashSet<>();
        longest.values().stream().filter(section -> section.part() != null)
                .forEach(section -> itemsUnderParts.add(section.item()));
        return longest.values().stream()
                .filter(section -> section.part() != null || !itemsUnderParts.contains(section.item())).toList();
    }

    private FilingText() {
    }
}
