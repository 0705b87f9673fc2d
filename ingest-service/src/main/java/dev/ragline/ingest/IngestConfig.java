package dev.ragline.ingest;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of Rake: jobs, stages, embeddings and sources. */
@ConfigMapping(prefix = "rake")
public interface IngestConfig {

    Jobs jobs();

    Chunking chunking();

    Pipeline pipeline();

    Embedding embedding();

    Upload upload();

    Scrape scrape();

    Secrets secrets();

    Database database();

    Api api();

    Edgar edgar();

    interface Edgar {
        /** Serves company_tickers.json and the filing archives. */
        @WithDefault("https://www.sec.gov")
        String baseUrl();

        /** Serves the submissions JSON. */
        @WithDefault("https://data.sec.gov")
        String dataBaseUrl();

        /** SEC requires a descriptive User-Agent with a contact ("Company admin@company.com"); none, no source. */
        Optional<String> userAgent();

        /** SEC's fair-access limit is 10 requests per second, for the whole service. */
        @WithDefault("100ms")
        Duration requestInterval();
    }

    interface Api {
        @WithDefault("100")
        int maxPages();

        /** Further attempts after a 429, a 5xx or a broken connection. */
        @WithDefault("4")
        int maxRetries();

        /** First pause after a 5xx or a broken connection; doubles on each retry. */
        @WithDefault("500ms")
        Duration initialBackoff();

        /** The longest Retry-After honoured; a server asking for more fails the job instead of stalling it. */
        @WithDefault("120s")
        Duration maxRetryAfter();

        @WithDefault("30s")
        Duration timeout();

        @WithDefault("10485760")
        long maxResponseBytes();
    }

    interface Secrets {
        /**
         * Base64 AES-256 key sealing the secret parameters of jobs (passwords, auth headers) until the job runs;
         * RAKE_SECRETS_KEY overrides the dev-only default, and %prod has no default.
         */
        String key();
    }

    interface Database {
        /** Longest a database_query job's SELECT may run. */
        @WithDefault("60s")
        Duration statementTimeout();

        /** Rows fetched per round trip by the cursor. */
        @WithDefault("500")
        int fetchSize();

        /** Upper bound of max_rows, and its default. */
        @WithDefault("100000")
        int maxRows();

        @WithDefault("10s")
        Duration connectTimeout();

        /**
         * host:port entries a database_query may reach although they are (or resolve to) internal addresses:
         * loopback, private, link-local, metadata, unspecified. An IP entry matches whatever name resolves to it.
         */
        Optional<List<String>> allowedHosts();
    }

    interface Jobs {
        /** Jobs one instance runs at the same time; more instances add more. */
        @WithDefault("2")
        int concurrency();

        /** How long a running job's instance may stay silent before another instance takes the job over. */
        @WithDefault("60s")
        Duration lease();

        /** How often a running job renews its lease. */
        @WithDefault("15s")
        Duration heartbeat();

        /** A PENDING job nobody claimed within this time is published again. */
        @WithDefault("60s")
        Duration redispatchPendingAfter();

        /** How often an instance looks for jobs to hand out again (also in @Scheduled on JobReaper). */
        @WithDefault("15s")
        Duration reaperEvery();

        /** Claims after which a job that keeps losing its instance is failed instead of retried forever. */
        @WithDefault("5")
        int maxAttempts();
    }

    interface Pipeline {
        /** Fetched documents cleaned, checked for changes and chunked together (one query for their hashes). */
        @WithDefault("100")
        int batchDocuments();

        /** Characters of fetched content that close a batch early, so large files do not pile up in memory. */
        @WithDefault("2000000")
        long batchChars();

        /**
         * Chunks that may wait between stages (chunked for EMBED, embedded for STORE): what lets the stages
         * overlap, and what bounds the memory a job holds however many documents its source yields.
         */
        @WithDefault("2000")
        int queuedChunks();
    }

    interface Chunking {
        @WithDefault("500")
        int size();

        @WithDefault("100")
        int overlap();

        /** The smallest chunk size a job may ask for. */
        @WithDefault("32")
        int minSize();
    }

    interface Embedding {
        /** in-process (all-MiniLM-L6-v2, no network) or openai (any OpenAI-compatible /v1/embeddings). */
        @WithDefault("in-process")
        String provider();

        @WithDefault("100")
        int batchSize();

        OpenAi openai();

        interface OpenAi {
            @WithDefault("https://api.openai.com")
            String baseUrl();

            Optional<String> apiKey();

            @WithDefault("text-embedding-3-small")
            String model();

            @WithDefault("1536")
            int dimension();

            /** Input window of the model, in cl100k tokens. */
            @WithDefault("8191")
            int maxInputTokens();

            /** Price per million tokens, for the job's cost accounting. */
            @WithDefault("0.02")
            BigDecimal pricePerMillionTokens();

            @WithDefault("5")
            int maxRetries();

            @WithDefault("500ms")
            Duration initialBackoff();

            @WithDefault("30s")
            Duration maxBackoff();

            @WithDefault("60s")
            Duration timeout();
        }
    }

    interface Upload {
        @WithDefault("20971520")
        long maxFileBytes();

        @WithDefault("52428800")
        long maxJobBytes();

        @WithDefault("50")
        int maxFiles();
    }

    interface Scrape {
        @WithDefault("RaglineRake/0.1 (+https://ragline.dev/bot)")
        String userAgent();

        /** Minimum time between two requests to the same host. */
        @WithDefault("500ms")
        Duration perHostInterval();

        @WithDefault("10s")
        Duration timeout();

        @WithDefault("5242880")
        long maxPageBytes();

        @WithDefault("5")
        int maxRedirects();

        @WithDefault("3")
        int maxDepth();

        @WithDefault("200")
        int maxPages();

        /**
         * Hosts exempt from the SSRF guard (e.g. an intranet wiki, or a test server on loopback): a name as written in
         * the URL, or an IP literal, which admits that address whatever name resolved to it.
         */
        Optional<List<String>> allowedHosts();
    }
}
