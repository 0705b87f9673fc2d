package dev.ragline.ingest.document;

import dev.ragline.ingest.pipeline.Chunk;

/** A chunk with its vector, ready for STORE. */
public record EmbeddedChunk(Chunk chunk, float[] vector) {

    /** pgvector's text form, e.g. {@code [0.1,0.2]}. */
    public static String pgvector(float[] vector) {
        StringBuilder out = new StringBuilder(vector.length * 10).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(vector[i]);
        }
        return out.append(']').toString();
    }
}
