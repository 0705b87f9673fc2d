package dev.ragline.ingest.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.ToIntFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Counts the word pieces of all-MiniLM's uncased BERT tokenizer, as the chunker needs for every
 * sentence and chunk. The Hugging Face tokenizer behind LangChain4j costs about 0.5 ms per 1,000
 * characters through JNI, which made counting most of a chunk's CPU; ASCII words, where its rules are
 * short (drop control characters, split at whitespace and punctuation, lower-case, then greedy
 * longest-match word pieces from its vocabulary), are counted here, the same way. Words with any other
 * character (accents, other scripts, Unicode punctuation) or a '[' (which may open one of its special
 * tokens) are still counted by the Hugging Face tokenizer, in one call per text.
 */
final class WordPieces implements ToIntFunction<String> {

    private static final String VOCABULARY = "all-minilm-l6-v2-q-tokenizer.json";
    /** Longer words are one [UNK]. */
    private static final int MAX_WORD_CHARS = 100;

    private final Set<String> pieces;
    private final ToIntFunction<String> huggingFace;

    private WordPieces(Set<String> pieces, ToIntFunction<String> huggingFace) {
        this.pieces = pieces;
        this.huggingFace = huggingFace;
    }

    /** The model's vocabulary, and the Hugging Face counter for what this one does not handle. */
    static WordPieces of(ToIntFunction<String> huggingFace) {
        try (InputStream stream = WordPieces.class.getClassLoader().getResourceAsStream(VOCABULARY)) {
            if (stream == null) {
                throw new IllegalStateException(VOCABULARY + " is not on the classpath");
            }
            JsonNode vocabulary = new ObjectMapper().readTree(stream).path("model").path("vocab");
            Set<String> pieces = new HashSet<>(vocabulary.size() * 2);
            vocabulary.fieldNames().forEachRemaining(pieces::add);
            return new WordPieces(pieces, huggingFace);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int applyAsInt(String text) {
        int count = 0;
        StringBuilder others = null;
        int length = text.length();
        int start = 0;
        while (start < length) {
            int end = start;
            boolean ascii = true;
            // Words end at the whitespace the tokenizer splits at; its other whitespace is a control
            // character, which it drops, so it joins what it separates.
            while (end < length && !isSplitSpace(text.charAt(end))) {
                char c = text.charAt(end);
                ascii &= c < 0x80 && c != '[';
                end++;
            }
            if (end > start) {
                if (ascii) {
                    count += countAsciiWord(text, start, end);
                } else {
                    others = others == null ? new StringBuilder() : others.append(' ');
                    others.append(text, start, end);
                }
            }
            start = end + 1;
        }
        return others == null ? count : count + huggingFace.applyAsInt(others.toString());
    }

    private static boolean isSplitSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    /** An ASCII word without split spaces: its control characters dropped, then cut at punctuation. */
    private int countAsciiWord(String text, int from, int to) {
        StringBuilder word = new StringBuilder(to - from);
        int count = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                continue;
            }
            if (isPunctuation(c)) {
                count += countPieces(word) + 1;
                word.setLength(0);
            } else {
                word.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            }
        }
        return count + countPieces(word);
    }

    private static boolean isPunctuation(char c) {
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    }

    /** Greedy longest-match-first, as WordPiece does; a word with a part no piece matches is one [UNK]. */
    private int countPieces(CharSequence word) {
        int length = word.length();
        if (length == 0) {
            return 0;
        }
        if (length > MAX_WORD_CHARS) {
            return 1;
        }
        String whole = word.toString();
        int count = 0;
        int start = 0;
        while (start < length) {
            int end = length;
            while (end > start && !pieces.contains(start == 0 ? whole.substring(0, end)
                    : "##" + whole.substring(start, end))) {
                end--;
            }
            if (end == start) {
                return 1;
            }
            count++;
            start = end;
        }
        return count;
    }
}
