package dev.ragline.ingest.document.repository;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** STORE and the documents API: collections, documents and their chunks, all under row-level security. */
@ApplicationScoped
public class DocumentRepository {

    private final TenantDb db;
    private final ObjectMapper json;

    DocumentRepository(TenantDb db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** The tenant's collection for this model and dimension, created with its HNSW index on first use. */
    public long ensureCollection(String tenantId, String model, int dimension) {
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("SELECT ensure_collection($1, $2) AS id")
                .execute(Tuple.of(model, dimension))
                .map(rows -> rows.iterator().next().getLong("id")));
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
        String metadata = toJson(document.metadata());
        return db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("INSERT INTO documents (id, tenant_id, collection_id, source, source_id, title, url,"
                        + " content_hash, chunk_count, metadata, last_job_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                        + " $10::text::jsonb, $11) ON CONFLICT (collection_id, source, source_id) DO UPDATE SET title = excluded.title,"
                        + " url = excluded.url, content_hash = excluded.content_hash, chunk_count = excluded.chunk_count,"
                        + " metadata = excluded.metadata, last_job_id = excluded.last_job_id, updated_at = now() RETURNING id")
                .execute(Tuple.from(Arrays.asList(UUID.randomUUID(), tenantId, collectionId, source, document.sourceId(),
                        document.title(), document.url(), document.contentHash(), chunks.size(),
                        metadata, jobId)))
                .map(rows -> rows.iterator().next().getUUID("id"))
                .flatMap(documentId -> connection.preparedQuery("DELETE FROM chunks WHERE document_id = $1")
                        .execute(Tuple.of(documentId))
                        .flatMap(deleted -> connection.preparedQuery("INSERT INTO chunks (tenant_id, collection_id,"
                                + " document_id, position, text, token_count, start_offset, end_offset, metadata, embedding)"
                                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::vector)")
                                .executeBatch(chunks.stream().map(embedded -> Tuple.from(Arrays.asList(tenantId, collectionId,
                                        documentId, embedded.chunk().position(), embedded.chunk().text(),
                                        embedded.chunk().tokenCount(), embedded.chunk().startOffset(),
                                        embedded.chunk().endOffset(), "{}", EmbeddedChunk.pgvector(embedded.vector()))))
                                        .toList()))
                        .replaceWith(documentId)));
    }

    /** A document's new version and its embedded chunks. */
    public record Replacement(CleanDocument document, List<EmbeddedChunk> chunks) {
    }

    /**
     * Stores several documents' new versions in one transaction (three statements, however many documents):
     * each document row with all its chunks is replaced, and a failure leaves every previous version whole.
     */
    public void replaceAll(String tenantId, long collectionId, String source, UUID jobId, List<Replacement> all) {
        // A source id twice in one group (fetched again in a later batch): its last version is the one stored.
        Map<String, Replacement> latest = new java.util.LinkedHashMap<>();
        for (Replacement replacement : all) {
            latest.remove(replacement.document().sourceId());
            latest.put(replacement.document().sourceId(), replacement);
        }
        List<Replacement> replacements = List.copyOf(latest.values());
        if (replacements.isEmpty()) {
            return;
        }
        List<Tuple> documentRows = new ArrayList<>(replacements.size());
        for (Replacement replacement : replacements) {
            CleanDocument document = replacement.document();
            documentRows.add(Tuple.from(Arrays.asList(UUID.randomUUID(), tenantId, collectionId, source,
                    document.sourceId(), document.title(), document.url(), document.contentHash(),
                    replacement.chunks().size(), toJson(document.metadata()), jobId)));
        }
        db.awaitInTenant(tenantId, connection -> connection
                .preparedQuery("INSERT INTO documents (id, tenant_id, collection_id, source, source_id, title, url,"
                        + " content_hash, chunk_count, metadata, last_job_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                        + " $10::text::jsonb, $11) ON CONFLICT (collection_id, source, source_id) DO UPDATE SET title = excluded.title,"
                        + " url = excluded.url, content_hash = excluded.content_hash, chunk_count = excluded.chunk_count,"
                        + " metadata = excluded.metadata, last_job_id = excluded.last_job_id, updated_at = now() RETURNING id")
                .executeBatch(documentRows)
                .map(DocumentRepository::idsOfBatch)
                .flatMap(documentIds -> connection.preparedQuery("DELETE FROM chunks WHERE document_id = ANY($1)")
                        .execute(Tuple.of(documentIds.toArray(UUID[]::new)))
                        .flatMap(deleted -> {
                            List<Tuple> chunkRows = new ArrayList<>();
                            for (int i = 0; i < replacements.size(); i++) {
                                for (EmbeddedChunk embedded : replacements.get(i).chunks()) {
                                    chunkRows.add(Tuple.from(Arrays.asList(tenantId, collectionId, documentIds.get(i),
                                            embedded.chunk().position(), embedded.chunk().text(),
                                            embedded.chunk().tokenCount(), embedded.chunk().startOffset(),
                                            embedded.chunk().endOffset(), "{}", EmbeddedChunk.pgvector(embedded.vector()))));
                                }
                            }
                            if (chunkRows.isEmpty()) {
                                return io.smallrye.mutiny.Uni.createFrom().voidItem();
                            }
                            return connection.preparedQuery("INSERT INTO chunks (tenant_id, collection_id,"
                                    + " document_id, position, text, token_count, start_offset, end_offset, metadata, embedding)"
                                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::vector)")
                                    .executeBatch(chunkRows).replaceWithVoid();
                        })));
    }

    /** The ids a batched INSERT ... RETURNING id gave back, one result set per row, in order. */
    private static List<UUID> idsOfBatch(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>();
        for (io.vertx.mutiny.sqlclient.RowSet<Row> result = rows; result != null; result = result.next()) {
            for (Row row : result) {
                ids.add(row.getUUID("id"));
            }
        }
        return ids;
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
