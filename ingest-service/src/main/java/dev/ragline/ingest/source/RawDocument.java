package dev.ragline.ingest.source;

import java.util.Map;

/**
 * A document as a source fetched it. {@code html} content is cleaned with its structure; plain text as is.
 * {@code sourceId} identifies it within its source for idempotent re-ingestion (a file name, a URL).
 */
public record RawDocument(String sourceId, String title, String url, boolean html, String content,
        Map<String, Object> metadata) {
}
