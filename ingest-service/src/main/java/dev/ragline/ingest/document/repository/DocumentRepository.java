package dev.ragline.ingest.document.repository;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.common.TenantDb;
import dev.ragline.ingest.document.EmbeddedChunk;
import dev.ragline.ingest.document.StoredDocument;
import dev.ragline.ingest.pipeline.CleanDocument;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** STORE and the documents API: collections, documents and their chunks, all under row-level security. */
@ApplicationScoped
public class DocumentRepository {

    private final TenantDb db;
    private final ObjectMapper json;
    private final CollectionIndexes indexes;

    DocumentRepository(TenantDb db, ObjectMapper json, CollectionIndexes indexes) {
        this.db = db;
        this.json = json;
        this.indexes = indexes;
    }

    /** The tenant's collection for this model and dimension, created with its HNSW index on first use. */
    public long ensureCollection(String tenantId, String model, int dimension) {
        long collection = db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("SELECT ensure_collection($1, $2) AS id")
                .execute(Tuple.of(model, dimension))
                .map(rows -> rows.iterator().next().getLong("id")));
        indexes.ensure(collection, dimension);
        return collection;
    }

    public Optional<Long> findCollection(String tenantId, String model, int dimension) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("SELECT id FROM collections WHERE model = $1 AND dimension = $2")
                .execute(Tuple.of(model, dimension))
                .map(rows -> rows.rowCount() == 0 ? Optional.<Long> empty()
                        : Optional.of(rows.iterator().next().getLong("id"))));
    }

    /** Content hashes of the documents of this source already stored in the collection, by source id. */
    public Map<String, String> contentHashes(String tenantId, long collectionId, String source, List<String> sourceIds) {
        return db.awaitInTenant(tenantId, connection -> connection
                // One unique-key lookup per id. The plain "source_id = ANY($3)" let the planner, on statistics
                // taken before a job filled the collection, scan the whole collection for every batch.
                .preparedQuery("SELECT wanted.source_id, (SELECT content_hash FROM documents WHERE collection_id = $1"
                        + " AND source = $2 AND source_id = wanted.source_id) AS content_hash"
                        + " FROM unnest($3::text[]) AS wanted(source_id)")
                .execute(Tuple.of(collectionId, source, sourceIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, String> hashes = new HashMap<>();
                    rows.forEach(row -> {
                        if (row.getString("content_hash") != null) {
                            hashes.put(row.getString("source_id"), row.getString("content_hash"));
                        }
                    });
                    return hashes;
                }));
    }

    /**
     * Stores a document's new version in one transaction: the document row and all its chunks are
     * replaced together, so a failure leaves the previous version whole and searchable.
     */
    public UUID replace(String tenantId, long collectionId, String source, UUID jobId, CleanDocument document,
            List<EmbeddedChunk> chunks) {
        return replaceAll(tenantId, collectionId, source, jobId, List.of(new Replacement(document, chunks)))
                .get(document.sourceId());
    }

    /** A document's new version and its embedded chunks. */
    public record Replacement(CleanDocument document, List<EmbeddedChunk> chunks) {
    }

    private static final String UPSERT_DOCUMENTS = "INSERT INTO documents (id, tenant_id, collection_id, source, source_id,"
            + " title, url, content_hash, chunk_count, metadata, last_job_id)"
            + " SELECT d.id, $1::text, $2::bigint, $3::text, d.source_id, d.title, d.url, d.content_hash, d.chunk_count,"
            + " d.metadata::jsonb, $4::uuid"
            + " FROM unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[])"
            + " AS d(id, source_id, title, url, content_hash, chunk_count, metadata)"
            + " ON CONFLICT (collection_id, source, source_id) DO UPDATE SET title = excluded.title, url = excluded.url,"
            + " content_hash = excluded.content_hash, chunk_count = excluded.chunk_count, metadata = excluded.metadata,"
            + " last_job_id = excluded.last_job_id, updated_at = now() RETURNING source_id, id";

    /**
     * All the chunks of a group in one statement, column by column. The vectors travel as one binary
     * real[] (each row takes its slice and casts it to vector) rather than as pgvector's text form:
     * nothing to format here or to parse there.
     */
    private static final String INSERT_CHUNKS = "INSERT INTO chunks (tenant_id, collection_id, document_id, position, text,"
            + " token_count, start_offset, end_offset, embedding)"
            + " SELECT $1::text, $2::bigint, c.document_id, c.position, c.text, c.token_count, c.start_offset, c.end_offset,"
            + " ($9::real[])[(c.n::int - 1) * $10::int + 1 : c.n::int * $10::int]::vector"
            + " FROM unnest($3::uuid[], $4::int[], $5::text[], $6::int[], $7::int[], $8::int[]) WITH ORDINALITY"
            + " AS c(document_id, position, text, token_count, start_offset, end_offset, n)";

    /**
     * Stores several documents' new versions in one transaction (three statements, however many documents
     * and chunks): each document row with all its chunks is replaced, and a failure leaves every previous
     * version whole. Returns the documents' ids by source id.
     */
    public Map<String, UUID> replaceAll(String tenantId, long collectionId, String source, UUID jobId,
            List<Replacement> all) {
        // A source id twice in one group (fetched again in a later batch): its last version is the one stored.
        Map<String, Replacement> latest = new LinkedHashMap<>();
        for (Replacement replacement : all) {
            latest.remove(replacement.document().sourceId());
            latest.put(replacement.document().sourceId(), replacement);
        }
        List<Replacement> replacements = List.copyOf(latest.values());
        if (replacements.isEmpty()) {
            return Map.of();
        }
        int documentCount = replacements.size();
        UUID[] newIds = new UUID[documentCount];
        String[] sourceIds = new String[documentCount];
        String[] titles = new String[documentCount];
        String[] urls = new String[documentCount];
        String[] hashes = new String[documentCount];
        Integer[] chunkCounts = new Integer[documentCount];
        String[] metadata = new String[documentCount];
        int chunkCount = 0;
        for (int i = 0; i < documentCount; i++) {
            CleanDocument document = replacements.get(i).document();
            newIds[i] = UUID.randomUUID();
            sourceIds[i] = document.sourceId();
            titles[i] = document.title();
            urls[i] = document.url();
            hashes[i] = document.contentHash();
            chunkCounts[i] = replacements.get(i).chunks().size();
            metadata[i] = toJson(document.metadata());
            chunkCount += chunkCounts[i];
        }
        Tuple documentRows = Tuple.from(Arrays.asList(tenantId, collectionId, source, jobId, newIds, sourceIds, titles, urls,
                hashes, chunkCounts, metadata));
        // Built here, on the store's thread: only the document ids are filled in once the upsert returned them.
        ChunkColumns chunks = ChunkColumns.of(replacements, chunkCount);
        return db.awaitInTenant(tenantId, connection -> connection.preparedQuery(UPSERT_DOCUMENTS).execute(documentRows)
                .map(stored -> {
                    Map<String, UUID> ids = new HashMap<>();
                    stored.forEach(row -> ids.put(row.getString("source_id"), row.getUUID("id")));
                    return ids;
                })
                .flatMap(ids -> connection.preparedQuery("DELETE FROM chunks WHERE document_id = ANY($1)")
                        .execute(Tuple.of(ids.values().toArray(UUID[]::new)))
                        .flatMap(deleted -> chunks.owners().length == 0 ? Uni.createFrom().voidItem()
                                : connection.preparedQuery(INSERT_CHUNKS)
                                        .execute(chunks.tuple(tenantId, collectionId, sourceIds, ids)).replaceWithVoid())
                        .replaceWith(ids)));
    }

    /**
     * A group's chunks as one array per column, and all their vectors in one real[] of rows × dimension;
     * {@code owners} holds each row's document, as an index into the group.
     */
    private record ChunkColumns(int[] owners, Integer[] positions, String[] texts, Integer[] tokenCounts,
            Integer[] startOffsets, Integer[] endOffsets, Float[] vectors, int dimension) {

        static ChunkColumns of(List<Replacement> replacements, int rows) {
            int dimension = replacements.stream().flatMap(r -> r.chunks().stream()).findFirst()
                    .map(chunk -> chunk.vector().length).orElse(0);
            ChunkColumns columns = new ChunkColumns(new int[rows], new Integer[rows], new String[rows], new Integer[rows],
                    new Integer[rows], new Integer[rows], new Float[rows * dimension], dimension);
            int row = 0;
            for (int owner = 0; owner < replacements.size(); owner++) {
                for (EmbeddedChunk embedded : replacements.get(owner).chunks()) {
                    float[] vector = embedded.vector();
                    if (vector.length != dimension) {
                        throw new IllegalArgumentException("vectors of " + vector.length + " and " + dimension
                                + " dimensions in one group");
                    }
                    columns.owners[row] = owner;
                    columns.positions[row] = embedded.chunk().position();
                    columns.texts[row] = embedded.chunk().text();
                    columns.tokenCounts[row] = embedded.chunk().tokenCount();
                    columns.startOffsets[row] = embedded.chunk().startOffset();
                    columns.endOffsets[row] = embedded.chunk().endOffset();
                    for (int i = 0; i < dimension; i++) {
                        columns.vectors[row * dimension + i] = vector[i];
                    }
                    row++;
                }
            }
            return columns;
        }

        Tuple tuple(String tenantId, long collectionId, String[] sourceIds, Map<String, UUID> ids) {
            UUID[] documentIds = new UUID[owners.length];
            for (int row = 0; row < owners.length; row++) {
                documentIds[row] = ids.get(sourceIds[owners[row]]);
            }
            return Tuple.from(Arrays.asList(tenantId, collectionId, documentIds, positions, texts, tokenCounts,
                    startOffsets, endOffsets, vectors, dimension));
        }
    }

    private static final String DOCUMENT_COLUMNS = "d.id, d.source, d.source_id, d.title, d.url, d.content_hash,"
            + " d.chunk_count, c.name AS collection, c.model, c.dimension, d.metadata::text AS metadata, d.last_job_id,"
            + " d.created_at, d.updated_at";

    public record Page(List<StoredDocument> items, long total) {
    }

    public Page list(String tenantId, Optional<String> source, int page, int size) {
        Tuple args = Tuple.of(size, (long) page * size);
        source.ifPresent(args::addString);
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("SELECT " + DOCUMENT_COLUMNS + ", count(*) OVER () AS total FROM documents d"
                        + " JOIN collections c ON c.id = d.collection_id" + (source.isPresent() ? " WHERE d.source = $3" : "")
                        + " ORDER BY d.created_at DESC, d.id LIMIT $1 OFFSET $2")
                .execute(args)
                .map(rows -> {
                    List<StoredDocument> documents = new ArrayList<>();
                    long total = 0;
                    for (Row row : rows) {
                        documents.add(toDocument(row));
                        total = row.getLong("total");
                    }
                    return new Page(documents, total);
                }));
    }

    public Optional<StoredDocument> find(String tenantId, UUID documentId) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("SELECT " + DOCUMENT_COLUMNS + " FROM documents d JOIN collections c ON c.id = d.collection_id"
                        + " WHERE d.id = $1")
                .execute(Tuple.of(documentId))
                .map(rows -> rows.rowCount() == 0 ? Optional.<StoredDocument> empty()
                        : Optional.of(toDocument(rows.iterator().next()))));
    }

    public boolean delete(String tenantId, UUID documentId) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("DELETE FROM documents WHERE id = $1").execute(Tuple.of(documentId))
                .map(rows -> rows.rowCount() == 1));
    }

    public long countChunks(String tenantId) {
        return db.awaitInTenant(tenantId, connection -> connection.query("SELECT count(*) AS n FROM chunks").execute()
                .map(rows -> rows.iterator().next().getLong("n")));
    }

    private StoredDocument toDocument(Row row) {
        try {
            return new StoredDocument(row.getUUID("id"), row.getString("source"), row.getString("source_id"),
                    row.getString("title"), row.getString("url"), row.getString("content_hash"),
                    row.getInteger("chunk_count"), row.getString("collection"), row.getString("model"),
                    row.getInteger("dimension"), json.readTree(row.getString("metadata")), row.getUUID("last_job_id"),
                    row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String toJson(Map<String, Object> metadata) {
        try {
            return json.writeValueAsString(metadata == null ? Map.of() : metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
