package dev.ragline.ingest.search;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code {query, top_k, filters: {source, document_id, metadata}, mode: vector|hybrid|text}}. */
public record SearchRequest(@NotBlank @Size(max = 4000) String query, @Min(1) @Max(100) Integer topK,
        @Valid Filters filters, Mode mode) {

    public enum Mode {
        vector,
        hybrid,
        text
    }

    public record Filters(String source, String documentId, Map<String, Object> metadata) {
    }

    public int topKOrDefault() {
        return topK == null ? 5 : topK;
    }

    public Mode modeOrDefault() {
        return mode == null ? Mode.hybrid : mode;
    }
}
