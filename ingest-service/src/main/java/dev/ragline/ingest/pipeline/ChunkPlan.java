package dev.ragline.ingest.pipeline;

/** The chunk size and overlap a job runs with, after they were fitted to the embedding model's window. */
public record ChunkPlan(int size, int overlap, boolean cappedToModel) {

    /**
     * Fits what the job asked for to the model: a size above the model's window becomes the window,
     * and the overlap shrinks in the same proportion so chunks do not mostly repeat each other.
     */
    public static ChunkPlan fit(int requestedSize, int requestedOverlap, int modelWindow) {
        if (requestedSize <= modelWindow) {
            return new ChunkPlan(requestedSize, Math.min(requestedOverlap, requestedSize / 2), false);
        }
        int overlap = (int) ((long) requestedOverlap * modelWindow / requestedSize);
        return new ChunkPlan(modelWindow, Math.min(overlap, modelWindow / 2), true);
    }
}
