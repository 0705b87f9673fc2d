package dev.ragline.ingest.search;

import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code rake.search.*}: how searches embed their query and scan the HNSW index. */
@ConfigMapping(prefix = "rake.search")
public interface SearchConfig {

    /**
     * Threads that embed search queries. Default: the number of CPUs with the in-process model (ONNX
     * is CPU-bound, more threads only queue on the cores), 16 with a remote embeddings endpoint
     * (each thread mostly waits on the network).
     */
    OptionalInt embeddingThreads();

    /** Queries waiting for an embedding thread beyond this many are refused with 503 instead of piling up. */
    @WithDefault("256")
    int embeddingQueue();

    /** hnsw.ef_search floor; a search asks for max(this, 2 × the rows it needs). */
    @WithDefault("40")
    int efSearch();

    /** How hybrid search gathers and fuses its two rankings. */
    Fusion fusion();

    interface Fusion {

        /** Candidates each ranking returns per result asked for (at least {@link #minCandidates()}). */
        @WithDefault("4")
        int candidatesPerResult();

        @WithDefault("40")
        int minCandidates();

        /** The RRF constant: damps the weight of the very first ranks. */
        @WithDefault("60")
        int rrfK();

        @WithDefault("1.0")
        double vectorWeight();

        @WithDefault("1.0")
        double textWeight();

        /**
         * Document frequencies are counted up to this many chunks; a term at least this common scores
         * the least and brings in no full-text candidates of its own.
         */
        @WithDefault("1000")
        int dfCap();
    }
}
