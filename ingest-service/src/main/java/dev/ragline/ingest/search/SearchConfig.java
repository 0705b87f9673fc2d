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
}
