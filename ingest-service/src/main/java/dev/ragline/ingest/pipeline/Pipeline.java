package dev.ragline.ingest.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.document.EmbeddedChunk;
import dev.ragline.ingest.document.repository.DocumentRepository;
import dev.ragline.ingest.document.repository.DocumentRepository.Replacement;
import dev.ragline.ingest.embedding.Embedder;
import dev.ragline.ingest.job.Job;
import dev.ragline.ingest.job.JobStatus;
import dev.ragline.ingest.job.repository.JobRepository;
import dev.ragline.ingest.job.repository.JobRepository.StoredFile;
import dev.ragline.ingest.job.service.JobControl;
import dev.ragline.ingest.source.RawDocument;
import dev.ragline.ingest.source.Source;
import dev.ragline.ingest.source.SourceContext;
import dev.ragline.ingest.source.Sources;

/**
 * The five stages of one job, streamed: the source's documents are taken in bounded batches (FETCH, then
 * CLEAN, the unchanged ones skipped, and CHUNK on the job's thread), embedded on a second thread in full
 * model batches across documents, and stored on a third, each document as soon as all its chunks have
 * vectors. Bounded hand-overs between the threads keep a job's memory flat whatever the number of
 * documents, and let the model run while the next documents are fetched and the previous ones stored.
 */
@ApplicationScoped
public class Pipeline {

    /** Documents stored in one transaction at most (each still replaced whole or not at all). */
    private static final int STORE_GROUP_DOCUMENTS = 500;

    public record Outcome(JobStatus status, String error) {
    }

    private final Sources sources;
    private final Cleaner cleaner;
    private final Chunker chunker;
    private final Embedder embedder;
    private final DocumentRepository documents;
    private final JobRepository jobs;
    private final IngestConfig config;

    Pipeline(Sources sources, Cleaner cleaner, Chunker chunker, Embedder embedder, DocumentRepository documents,
            JobRepository jobs, IngestConfig config) {
        this.sources = sources;
        this.cleaner = cleaner;
        this.chunker = chunker;
        this.embedder = embedder;
        this.documents = documents;
        this.jobs = jobs;
        this.config = config;
    }

    /** The chunk plan of a job: its own size and overlap, or the defaults, fitted to the model. */
    public ChunkPlan chunkPlan(JsonNode params) {
        return ChunkPlan.fit(params.path("chunk_size").asInt(config.chunking().size()),
                params.path("chunk_overlap").asInt(config.chunking().overlap()), embedder.maxChunkTokens());
    }

    public Outcome run(Job job, JobControl control) throws Exception {
        Source source = sources.named(job.source());
        control.stageStarted(JobStatus.FETCHING);
        long collection = documents.ensureCollection(job.tenantId(), embedder.model(), embedder.dimension());
        return new Run(job, control, collection).execute(source);
    }

    /** A changed document with its chunks, and their vectors as EMBED fills them in. */
    private static final class Prepared {
        final CleanDocument document;
        final List<Chunk> chunks;
        final float[][] vectors;
        int embedded;

        Prepared(CleanDocument document, List<Chunk> chunks) {
            this.document = document;
            this.chunks = chunks;
            this.vectors = new float[chunks.size()][];
        }

        boolean complete() {
            return embedded == chunks.size();
        }

        Replacement replacement() {
            List<EmbeddedChunk> embeddedChunks = new ArrayList<>(chunks.size());
            for (int i = 0; i < chunks.size(); i++) {
                embeddedChunks.add(new EmbeddedChunk(chunks.get(i), vectors[i]));
            }
            return new Replacement(document, embeddedChunks);
        }
    }

    /** One run of one job: the source's context on the job's thread, and the EMBED and STORE threads. */
    private final class Run implements SourceContext {
        private final Job job;
        private final JobControl control;
        private final long collection;
        private final ChunkPlan plan;
        private final Chunker.ModelWindow window;
        private final IngestConfig.Pipeline limits = config.pipeline();
        private final Handoff<Prepared> toEmbed;
        private final Handoff<Prepared> toStore;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        /** The batch being fetched; a document fetched again within it replaces its earlier version. */
        private Map<String, RawDocument> fetching = new LinkedHashMap<>();
        private long fetchingChars;
        private int fetched;
        private long preparingNanos;
        /**
         * Documents the batch being fetched may hold. A job's first batches start at one document and double
         * until the model has a full batch to embed, so the model starts once that much is chunked rather
         * than after the source's first hundred documents were fetched and cleaned; then the configured size.
         */
        private int batchDocuments = 1;
        private int planned;

        Run(Job job, JobControl control, long collection) {
            this.job = job;
            this.control = control;
            this.collection = collection;
            this.plan = chunkPlan(job.params());
            this.window = new Chunker.ModelWindow(embedder.modelTokenCounter(), embedder.maxModelTokens());
            int queued = Math.max(limits.queuedChunks(), config.embedding().batchSize());
            this.toEmbed = new Handoff<>(queued);
            this.toStore = new Handoff<>(queued);
        }

        Outcome execute(Source source) throws Exception {
            Thread embedding = stageThread("embed", this::embedAll);
            Thread storing = stageThread("store", this::storeAll);
            try {
                long start = System.nanoTime();
                source.fetch(this, job.params());
                control.stageBusy(JobStatus.FETCHING, System.nanoTime() - start - preparingNanos);
                control.stageFinished(JobStatus.FETCHING);
                prepare(true);
                toEmbed.close();
            } catch (Throwable e) {
                abort(e);
            }
            embedding.join();
            storing.join();
            Throwable failed = failure.get();
            if (failed instanceof Exception exception) {
                throw exception;
            } else if (failed instanceof Error error) {
                throw error;
            }
            if (fetched == 0 && control.documentsFailedCount() > 0) {
                return new Outcome(JobStatus.FAILED, "no document could be fetched; see errors");
            }
            // The runner saves the progress before it records the outcome.
            return new Outcome(JobStatus.COMPLETED, null);
        }

        private Thread stageThread(String stage, Runnable work) {
            // Platform threads, as for the job itself: ONNX inference would pin a virtual thread's carrier.
            return Thread.ofPlatform().daemon().name("rake-" + stage + "-" + job.jobId()).start(() -> {
                try {
                    work.run();
                } catch (Throwable e) {
                    abort(e);
                }
            });
        }

        /** The first failure wins (a stage stopping because another aborted is not a failure of its own). */
        private void abort(Throwable e) {
            if (!(e instanceof Handoff.Aborted)) {
                failure.compareAndSet(null, e);
            }
            toEmbed.abort();
            toStore.abort();
        }

        /** CLEAN and CHUNK of the batch fetched so far (the last one when the source is done), on the job's thread. */
        private void prepare(boolean last) {
            long start = System.nanoTime();
            List<RawDocument> raw = new ArrayList<>(fetching.values());
            fetching = new LinkedHashMap<>();
            fetchingChars = 0;

            List<CleanDocument> changed = clean(raw);
            if (last) {
                control.stageFinished(JobStatus.CLEANING);
            }
            for (CleanDocument document : changed) {
                control.checkpoint();
                control.stageStarted(JobStatus.CHUNKING);
                long chunking = System.nanoTime();
                List<Chunk> chunks = chunker.chunk(document.text(), plan, window);
                control.stageBusy(JobStatus.CHUNKING, System.nanoTime() - chunking);
                control.chunksPlanned(chunks.size());
                planned += chunks.size();
                toEmbed.put(new Prepared(document, chunks), chunks.size());
            }
            batchDocuments = planned >= config.embedding().batchSize() ? limits.batchDocuments()
                    : Math.min(limits.batchDocuments(), batchDocuments * 2);
            if (last) {
                control.stageFinished(JobStatus.CHUNKING);
            }
            preparingNanos += System.nanoTime() - start;
        }

        /** Cleans a batch and returns the documents whose content changed; unchanged ones count as skipped. */
        private List<CleanDocument> clean(List<RawDocument> raw) {
            if (raw.isEmpty()) {
                return List.of();
            }
            long start = System.nanoTime();
            control.stageStarted(JobStatus.CLEANING);
            List<CleanDocument> cleaned = new ArrayList<>(raw.size());
            for (RawDocument document : raw) {
                control.checkpoint();
                Optional<CleanDocument> clean = cleaner.clean(document);
                if (clean.isPresent()) {
                    cleaned.add(clean.get());
                    control.documentCleaned();
                } else {
                    control.documentFailed(JobStatus.CLEANING, document.sourceId(), "no text left after cleaning");
                }
            }
            Map<String, String> storedHashes = cleaned.isEmpty() ? Map.of()
                    : documents.contentHashes(job.tenantId(), collection, job.source(),
                            cleaned.stream().map(CleanDocument::sourceId).toList());
            List<CleanDocument> changed = new ArrayList<>(cleaned.size());
            for (CleanDocument document : cleaned) {
                if (document.contentHash().equals(storedHashes.get(document.sourceId()))) {
                    control.documentSkipped();
                } else {
                    changed.add(document);
                }
            }
            control.stageBusy(JobStatus.CLEANING, System.nanoTime() - start);
            return changed;
        }

        /**
         * EMBED: fills each model call with up to the batch size of chunks, across documents, and hands a
         * document on to STORE once all its chunks have vectors.
         */
        private void embedAll() {
            int batchSize = config.embedding().batchSize();
            ArrayDeque<Prepared> unfinished = new ArrayDeque<>();
            Prepared current = null;
            int cursor = 0;
            boolean closed = false;
            while (!closed) {
                List<Prepared> owners = new ArrayList<>(batchSize);
                List<Integer> positions = new ArrayList<>(batchSize);
                List<String> texts = new ArrayList<>(batchSize);
                while (texts.size() < batchSize) {
                    if (current == null || cursor == current.chunks.size()) {
                        current = toEmbed.take();
                        cursor = 0;
                        if (current == null) {
                            closed = true;
                            break;
                        }
                        unfinished.add(current);
                        continue;
                    }
                    owners.add(current);
                    positions.add(cursor);
                    texts.add(current.chunks.get(cursor++).text());
                }
                if (!texts.isEmpty()) {
                    control.checkpoint();
                    control.stageStarted(JobStatus.EMBEDDING);
                    long start = System.nanoTime();
                    Embedder.Embeddings embeddings = embedder.embed(texts);
                    control.stageBusy(JobStatus.EMBEDDING, System.nanoTime() - start);
                    for (int i = 0; i < texts.size(); i++) {
                        Prepared owner = owners.get(i);
                        owner.vectors[positions.get(i)] = embeddings.vectors().get(i);
                        owner.embedded++;
                    }
                    control.chunksEmbedded(texts.size(), embeddings.tokens(), embeddings.costUsd());
                }
                while (!unfinished.isEmpty() && unfinished.peek().complete()) {
                    Prepared done = unfinished.poll();
                    toStore.put(done, done.chunks.size());
                }
            }
            control.stageFinished(JobStatus.EMBEDDING);
            toStore.close();
        }

        /**
         * STORE: writes the embedded documents waiting at that moment in one transaction, so a slow store
         * catches up with bigger groups; each document's row and chunks are replaced together.
         */
        private void storeAll() {
            int maxChunks = Math.max(limits.queuedChunks(), config.embedding().batchSize());
            List<Prepared> group;
            while (!(group = toStore.drain(STORE_GROUP_DOCUMENTS, maxChunks)).isEmpty()) {
                control.checkpoint();
                control.stageStarted(JobStatus.STORING);
                long start = System.nanoTime();
                documents.replaceAll(job.tenantId(), collection, job.source(), job.jobId(),
                        group.stream().map(Prepared::replacement).toList());
                control.stageBusy(JobStatus.STORING, System.nanoTime() - start);
                control.documentsStored(group.size());
            }
            control.stageFinished(JobStatus.STORING);
        }

        @Override
        public UUID jobId() {
            return job.jobId();
        }

        @Override
        public String tenantId() {
            return job.tenantId();
        }

        @Override
        public List<StoredFile> uploadedFiles() {
            return jobs.files(job.tenantId(), job.jobId());
        }

        @Override
        public void emit(RawDocument document) {
            checkpoint();
            RawDocument earlier = fetching.put(document.sourceId(), document);
            if (earlier == null) {
                fetched++;
                control.documentFetched();
            } else {
                fetchingChars -= length(earlier);
            }
            fetchingChars += length(document);
            if (fetching.size() >= batchDocuments || fetchingChars >= limits.batchChars()) {
                prepare(false);
            }
        }

        private static long length(RawDocument document) {
            return document.content() == null ? 0 : document.content().length();
        }

        @Override
        public void documentFailed(String sourceId, String reason) {
            control.documentFailed(JobStatus.FETCHING, sourceId, reason);
        }

        @Override
        public void checkpoint() {
            if (failure.get() != null) {
                throw new Handoff.Aborted();
            }
            control.checkpoint();
        }
    }
}
