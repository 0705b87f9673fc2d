package dev.ragline.ingest.pipeline;

/** A piece of a document's text: its place in the document, size in cl100k tokens, and offsets in the cleaned text. */
public record Chunk(int position, String text, int tokenCount, int startOffset, int endOffset) {
}
