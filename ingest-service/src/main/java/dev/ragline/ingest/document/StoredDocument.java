package dev.ragline.ingest.document;

import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** A document as the documents API lists it. */
public record StoredDocument(UUID documentId, String source, String sourceId, String title, String url,
        String contentHash, int chunkCount, String collection, String model, int dimension, JsonNode metadata,
        UUID lastJobId, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
