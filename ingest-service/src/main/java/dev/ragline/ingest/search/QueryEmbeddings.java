package dev.ragline.ingest.search;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.embedding.Embedder;
import io.smallrye.mutiny.Uni;

/**
 * Embeds search queries on a small pool of its own: the search request never blocks the event loop
 * nor a shared worker thread on the model, and concurrent queries cannot oversubscribe the CPUs that
 * the in-process model runs on (they queue, up to a bound, then get a 503).
 */
@ApplicationScoped
public class QueryEmbeddings {

    private final Embedder embedder;
    private final ThreadPoolExecutor executor;

    QueryEmbeddings(Embedder embedder, SearchConfig config, IngestConfig ingest) {
        this.embedder = embedder;
        int threads = config.embeddingThreads().orElse("in-process".equals(ingest.embedding().provider())
                ? Runtime.getRuntime().availableProcessors()
                : 16);
        AtomicInteger number = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.embeddingQueue()), task -> {
                    Thread thread = new Thread(task, "rake-query-embedding-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** The query's vector, computed on the query-embedding pool. */
    public Uni<float[]> embed(String query) {
        return Uni.createFrom().<float[]> emitter(emitter -> {
            try {
                executor.execute(() -> {
                    try {
                        emitter.complete(embedder.embed(List.of(query)).vectors().get(0));
                    } catch (RuntimeException e) {
                        emitter.fail(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                emitter.fail(new ProblemException(503, "search-overloaded", "Search overloaded",
                        "Too many searches are waiting for their query to be embedded; retry shortly"));
            }
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
