package dev.ragline.ingest.search;

import java.util.UUID;

/** One chunk found by a search. */
public record SearchHit(long chunkId, double score, String text, UUID documentId, String title, String source,
        String sourceId, String url, int position, int tokenCount, int startOffset, int endOffset) {
}
