package dev.ragline.ingest.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search query split into the terms full-text search looks for, each matched on its own (see
 * {@code match_terms}): a quoted phrase stays one phrase; an identifier, a dotted or hyphenated term
 * ({@code heapq.nlargest}, {@code read-only}, {@code RFC-9457}) or a number ({@code 3.11}) stays whole,
 * so PostgreSQL's parser sees it as the document's text did; anything else separates terms. Stop words
 * need no list here: they become empty queries in PostgreSQL and are dropped there.
 */
public final class QueryTerms {

    /** More terms than this only lengthen the query without changing what ranks first. */
    static final int MAX_TERMS = 32;

    private static final Pattern PHRASE_OR_WORD = Pattern.compile("\"([^\"]+)\"|[^\\s\"]+");
    /** Characters that separate terms inside a word: everything but letters, digits and . _ - + # / @ '. */
    private static final Pattern SEPARATOR = Pattern.compile("[^\\p{L}\\p{N}._\\-+#/@']+");
    /** Joiners at a term's edges are punctuation ("end.", "-x", "etc...") rather than part of it. */
    private static final Pattern EDGES = Pattern.compile("^[._\\-+/@']+|[._\\-/@']+$");

    private QueryTerms() {
    }

    public static List<String> of(String query) {
        Set<String> terms = new LinkedHashSet<>();
        Matcher matcher = PHRASE_OR_WORD.matcher(query);
        while (matcher.find() && terms.size() < MAX_TERMS) {
            if (matcher.group(1) != null) {
                String phrase = matcher.group(1).strip().toLowerCase(Locale.ROOT);
                if (!phrase.isEmpty()) {
                    terms.add(phrase);
                }
                continue;
            }
            for (String part : SEPARATOR.split(matcher.group())) {
                String term = EDGES.matcher(part).replaceAll("").toLowerCase(Locale.ROOT);
                if (!term.isEmpty() && terms.size() < MAX_TERMS) {
                    terms.add(term);
                }
            }
        }
        return new ArrayList<>(terms);
    }
}
