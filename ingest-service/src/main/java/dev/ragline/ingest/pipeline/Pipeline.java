package dev.ragline.ingest.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.document.EmbeddedChunk;
import dev.ragline.ingest.document.repository.DocumentRepository;
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
 * The five stages of one job: FETCH, CLEAN, CHUNK, then EMBED and STORE in windows of documents, so
 * memory stays bounded and each document is replaced (or skipped when unchanged) on its own.
 */
@ApplicationScoped
public class Pipeline {

    /** Chunks embedded before their documents are stored; bounds the vectors held in memory. */
    private static final int STORE_WINDOW_CHUNKS = 2000;

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

        control.enterStage(JobStatus.FETCHING);
        Map<String, RawDocument> fetched = new LinkedHashMap<>();
        source.fetch(new Context(job, control, fetched), job.params());
        control.endStage();
        if (fetched.isEmpty() && control.documentsFailedCount() > 0) {
            return new Outcome(JobStatus.FAILED, "no document could be fetched; see errors");
        }

        control.enterStage(JobStatus.CLEANING);
        List<CleanDocument> cleaned = new ArrayList<>();
        for (RawDocument raw : fetched.values()) {
            control.checkpoint();
            Optional<CleanDocument> document = cleaner.clean(raw);
            if (document.isPresent()) {
                cleaned.add(document.get());
                control.countInStage("documents", 1);
            } else {
                control.documentFailed(raw.sourceId(), "no text left after cleaning");
            }
        }
        long collection = documents.ensureCollection(job.tenantId(), embedder.model(), embedder.dimension());
        Map<String, String> storedHashes = documents.contentHashes(job.tenantId(), collection, job.source(),
                cleaned.stream().map(CleanDocument::sourceId).toList());
        List<CleanDocument> changed = new ArrayList<>();
        for (CleanDocument document : cleaned) {
            if (document.contentHash().equals(storedHashes.get(document.sourceId()))) {
                control.documentSkipped();
            } else {
                changed.add(document);
            }
        }
        control.endStage();

        control.enterStage(JobStatus.CHUNKING);
        ChunkPlan plan = chunkPlan(job.params());
        Chunker.ModelWindow window = new Chunker.ModelWindow(embedder.modelTokenCounter(), embedder.maxModelTokens());
        List<List<Chunk>> chunked = new ArrayList<>();
        for (CleanDocument document : changed) {
            control.checkpoint();
            List<Chunk> chunks = chunker.chunk(document.text(), plan, window);
            chunked.add(chunks);
            control.chunksPlanned(chunks.size());
        }
        control.endStage();

        int next = 0;
        while (next < changed.size()) {
            int end = next;
            int windowChunks = 0;
            while (end < changed.size() && (end == next || windowChunks + chunked.get(end).size() <= STORE_WINDOW_CHUNKS)) {
                windowChunks += chunked.get(end).size();
                end++;
            }
            embedAndStore(job, control, collection, changed.subList(next, end), chunked.subList(next, end));
            next = end;
        }
        control.flush();
        return new Outcome(JobStatus.COMPLETED, null);
    }

    private void embedAndStore(Job job, JobControl control, long collection, List<CleanDocument> window,
            List<List<Chunk>> windowChunks) {
        control.enterStage(JobStatus.EMBEDDING);
        List<Chunk> all = windowChunks.stream().flatMap(List::stream).toList();
        List<float[]> vectors = new ArrayList<>(all.size());
        int batchSize = config.embedding().batchSize();
        for (int from = 0; from < all.size(); from += batchSize) {
            control.checkpoint();
            List<String> texts = all.subList(from, Math.min(all.size(), from + batchSize)).stream().map(Chunk::text)
                    .toList();
            Embedder.Embeddings embeddings = embedder.embed(texts);
            vectors.addAll(embeddings.vectors());
            control.chunksEmbedded(texts.size(), embeddings.tokens(), embeddings.costUsd());
        }
        control.endStage();

        control.enterStage(JobStatus.STORING);
        int offset = 0;
        for (int i = 0; i < window.size(); i++) {
            control.checkpoint();
            List<Chunk> chunks = windowChunks.get(i);
            List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
            for (Chunk chunk : chunks) {
                embedded.add(new EmbeddedChunk(chunk, vectors.get(offset++)));
            }
            documents.replace(job.tenantId(), collection, job.source(), job.jobId(), window.get(i), embedded);
            control.documentStored();
        }
        control.endStage();
    }

    private final class Context implements SourceContext {
        private final Job job;
        private final JobControl control;
        private final Map<String, RawDocument> fetched;

        Context(Job job, JobControl control, Map<String, RawDocument> fetched) {
            this.job = job;
            this.control = control;
            this.fetched = fetched;
        }

        @Override
        public java.util.UUID jobId() {
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
            if (fetched.put(document.sourceId(), document) == null) {
                control.documentFetched();
            }
        }

        @Override
        public void documentFailed(String sourceId, String reason) {
            control.documentFailed(sourceId, reason);
        }

        @Override
        public void checkpoint() {
            control.checkpoint();
        }
    }
}
