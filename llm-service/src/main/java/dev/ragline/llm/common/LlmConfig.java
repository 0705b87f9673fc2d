package dev.ragline.llm.common;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "ragline.llm")
public interface LlmConfig {

    Provider provider();

    Chat chat();

    Catalogue catalogue();

    Documents documents();

    Embedding embedding();

    /** An OpenAI-compatible chat endpoint; without a base URL the offline responder answers. */
    interface Provider {

        Optional<String> baseUrl();

        Optional<String> apiKey();

        @WithDefault("gpt-4o-mini")
        String model();

        /** Longest wait for the provider to finish one streamed reply. */
        @WithDefault("60s")
        Duration timeout();

        @WithDefault("0.2")
        double temperature();
    }

    interface Chat {

        @WithDefault("6")
        int maxToolCallsPerTurn();

        /** Messages of a session the model sees again on the next turn. */
        @WithDefault("20")
        int memoryWindow();

        @WithDefault("24h")
        Duration memoryTtl();

        @WithDefault("20s")
        Duration toolTimeout();
    }

    interface Catalogue {

        @WithDefault("8")
        int retrieveLimit();

        @WithDefault("100")
        int rebuildPageSize();

        /**
         * Products from which a tenant gets its own HNSW index; below it, ranking the tenant's rows exactly
         * is cheaper than an approximate scan and always right.
         */
        @WithDefault("1000")
        int vectorIndexThreshold();
    }

    /** The in-process embedding model. */
    interface Embedding {

        /** Threads that run inferences; half the cores (at least one) when unset. */
        Optional<Integer> threads();

        /** Query texts whose embeddings are remembered (about 1.6 KB each). */
        @WithDefault("2000")
        long queryCacheSize();
    }

    /** ingest-service (Rake), whose search over the tenant's documents backs search_documents. */
    interface Documents {

        @WithDefault("http://127.0.0.1:8003")
        URI baseUrl();

        /** Passages asked for per search: enough to cite, few enough for a model's context. */
        @WithDefault("4")
        int topK();

        @WithDefault("2s")
        Duration connectTimeout();

        @WithDefault("8s")
        Duration readTimeout();
    }
}
