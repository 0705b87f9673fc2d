package dev.ragline.ingest.pipeline;

import java.util.Map;

/** A document after CLEAN: normalised text that keeps its structure, and the hash of that text. */
public record CleanDocument(String sourceId, String title, String url, String text, String contentHash,
        Map<String, Object> metadata) {
}
