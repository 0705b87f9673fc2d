package dev.ragline.ingest.source.database;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides up front whether a query is one read-only SELECT, by its tokens (comments, string literals,
 * dollar-quoted bodies and quoted identifiers are skipped, so a keyword inside them does not count).
 * The read-only transaction the query then runs in is the second line of defence.
 */
public final class ReadOnlyQuery {

    // Other statements cannot appear once the query is one statement starting with SELECT or WITH; these are
    // what still writes from inside one: data-modifying CTEs, SELECT INTO, and functions with side effects.
    private static final Set<String> WRITING = Set.of("insert", "update", "delete", "merge", "into", "nextval",
            "setval", "dblink", "dblink_exec", "lo_import", "lo_export", "lo_unlink", "pg_terminate_backend",
            "pg_cancel_backend", "set_config");

    /** Why the query is refused, or empty when it is a single read-only SELECT. */
    public static Optional<String> refusal(String query) {
        List<String> words = new ArrayList<>();
        int statements = 0;
        boolean statementHasTokens = false;
        int i = 0;
        int n = query.length();
        while (i < n) {
            char c = query.charAt(i);
            if (c == '-' && i + 1 < n && query.charAt(i + 1) == '-') {
                i = skipUntil(query, i, "\n");
            } else if (c == '/' && i + 1 < n && query.charAt(i + 1) == '*') {
                i = skipUntil(query, i + 2, "*/");
            } else if (c == '\'' || c == '"') {
                i = skipQuoted(query, i, c);
                statementHasTokens = true;
            } else if (c == '$' && dollarTag(query, i) != null) {
                String tag = dollarTag(query, i);
                i = skipUntil(query, i + tag.length(), tag);
                statementHasTokens = true;
            } else if (c == ';') {
                if (statementHasTokens) {
                    statements++;
                }
                statementHasTokens = false;
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(query.charAt(i)) || query.charAt(i) == '_'
                        || query.charAt(i) == '$')) {
                    i++;
                }
                if (statements > 0 && !statementHasTokens) {
                    return Optional.of("query must be a single statement");
                }
                words.add(query.substring(start, i).toLowerCase(Locale.ROOT));
                statementHasTokens = true;
            } else {
                if (!Character.isWhitespace(c)) {
                    if (statements > 0) {
                        return Optional.of("query must be a single statement");
                    }
                    statementHasTokens = true;
                }
                i++;
            }
        }
        if (words.isEmpty()) {
            return Optional.of("query is empty");
        }
        String first = words.getFirst();
        if (!first.equals("select") && !first.equals("with")) {
            return Optional.of("query must be a SELECT; " + first.toUpperCase(Locale.ROOT) + " is refused");
        }
        for (int w = 0; w < words.size(); w++) {
            String word = words.get(w);
            if (WRITING.contains(word)) {
                return Optional.of("query must be read-only; " + word.toUpperCase(Locale.ROOT) + " is refused");
            }
            if (word.equals("for") && w + 1 < words.size()
                    && Set.of("update", "share", "no", "key").contains(words.get(w + 1))) {
                return Optional.of("query must not lock rows (FOR UPDATE/SHARE)");
            }
        }
        return Optional.empty();
    }

    private static int skipUntil(String text, int from, String end) {
        int at = text.indexOf(end, from);
        return at < 0 ? text.length() : at + end.length();
    }

    private static int skipQuoted(String text, int from, char quote) {
        int i = from + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return i;
    }

    /** {@code $tag$} or {@code $$} starting at {@code from}, else null (a positional $1 is not one). */
    private static String dollarTag(String text, int from) {
        int i = from + 1;
        while (i < text.length() && (Character.isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '$' ? text.substring(from, i + 1) : null;
    }

    private ReadOnlyQuery() {
    }
}
