package dev.ragline.ingest.pipeline;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * CHUNK: packs whole sentences (within paragraphs) into chunks of at most {@code size} cl100k tokens,
 * each next chunk repeating about {@code overlap} tokens of the previous one. A sentence too long
 * for a chunk is cut between words. Every chunk also fits the embedding model's own tokenizer, so
 * the model never truncates one silently.
 */
@ApplicationScoped
public class Chunker {

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n\\s*\\n");
    private static final Pattern WORD = Pattern.compile("\\S+\\s*");

    private final Encoding cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    public int countTokens(String text) {
        return cl100k.countTokensOrdinary(text);
    }

    /** The model's limit on what it reads: its token counter and how many of its tokens fit. */
    public record ModelWindow(ToIntFunction<String> counter, int maxTokens) {
        static ModelWindow unlimited() {
            return new ModelWindow(text -> 0, Integer.MAX_VALUE);
        }
    }

    private record Segment(int start, int end, int tokens, int modelTokens) {
    }

    public List<Chunk> chunk(String text, ChunkPlan plan, ModelWindow model) {
        List<Segment> segments = segments(text, plan.size(), model);
        List<Chunk> chunks = new ArrayList<>();
        int first = 0;
        while (first < segments.size()) {
            int last = first;
            int tokens = segments.get(first).tokens();
            int modelTokens = segments.get(first).modelTokens();
            while (last + 1 < segments.size()
                    && tokens + segments.get(last + 1).tokens() <= plan.size()
                    && modelTokens + segments.get(last + 1).modelTokens() <= model.maxTokens()) {
                last++;
                tokens += segments.get(last).tokens();
                modelTokens += segments.get(last).modelTokens();
            }
            // Token counts are nearly but not exactly additive: confirm on the real text, and drop sentences until it fits.
            String chunkText = text.substring(segments.get(first).start(), segments.get(last).end()).strip();
            int counted = countTokens(chunkText);
            while (last > first && (counted > plan.size() || model.counter().applyAsInt(chunkText) > model.maxTokens())) {
                last--;
                chunkText = text.substring(segments.get(first).start(), segments.get(last).end()).strip();
                counted = countTokens(chunkText);
            }
            int start = segments.get(first).start();
            while (Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            chunks.add(new Chunk(chunks.size(), chunkText, counted, start, start + chunkText.length()));
            if (last + 1 >= segments.size()) {
                break;
            }
            first = overlapStart(segments, first, last, plan.overlap());
        }
        return chunks;
    }

    /** The first segment of the next chunk: as far back as the overlap allows, but always forward. */
    private static int overlapStart(List<Segment> segments, int first, int last, int overlap) {
        int next = last + 1;
        int repeated = 0;
        while (next - 1 > first && repeated + segments.get(next - 1).tokens() <= overlap) {
            next--;
            repeated += segments.get(next).tokens();
        }
        return next;
    }

    private List<Segment> segments(String text, int maxTokens, ModelWindow model) {
        List<Segment> segments = new ArrayList<>();
        Matcher breaks = PARAGRAPH_BREAK.matcher(text);
        int paragraphStart = 0;
        while (paragraphStart < text.length()) {
            int paragraphEnd = breaks.find(paragraphStart) ? breaks.end() : text.length();
            sentences(text, paragraphStart, paragraphEnd, maxTokens, model, segments);
            paragraphStart = paragraphEnd;
        }
        return segments;
    }

    private void sentences(String text, int from, int to, int maxTokens, ModelWindow model, List<Segment> out) {
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text.substring(from, to));
        int start = sentences.first();
        for (int end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
            String sentence = text.substring(from + start, from + end);
            if (sentence.isBlank()) {
                continue;
            }
            Segment segment = new Segment(from + start, from + end, countTokens(sentence),
                    model.counter().applyAsInt(sentence));
            if (segment.tokens() <= maxTokens && segment.modelTokens() <= model.maxTokens()) {
                out.add(segment);
            } else {
                words(text, segment.start(), segment.end(), maxTokens, model, out);
            }
        }
    }

    /** Cuts an over-long sentence between words into pieces that each fit. */
    private void words(String text, int from, int to, int maxTokens, ModelWindow model, List<Segment> out) {
        Matcher words = WORD.matcher(text).region(from, to);
        int pieceStart = from;
        int pieceTokens = 0;
        int pieceModelTokens = 0;
        while (words.find()) {
            String word = words.group();
            int tokens = countTokens(word);
            int modelTokens = model.counter().applyAsInt(word);
            if (words.start() > pieceStart
                    && (pieceTokens + tokens > maxTokens || pieceModelTokens + modelTokens > model.maxTokens())) {
                out.add(new Segment(pieceStart, words.start(), pieceTokens, pieceModelTokens));
                pieceStart = words.start();
                pieceTokens = 0;
                pieceModelTokens = 0;
            }
            pieceTokens += tokens;
            pieceModelTokens += modelTokens;
        }
        if (pieceStart < to) {
            out.add(new Segment(pieceStart, to, pieceTokens, pieceModelTokens));
        }
    }
}
