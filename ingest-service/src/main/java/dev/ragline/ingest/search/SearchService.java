package dev.ragline.ingest.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.common.TenantDb;
import dev.ragline.ingest.document.EmbeddedChunk;
import dev.ragline.ingest.document.repository.DocumentRepository;
import dev.ragline.ingest.embedding.Embedder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Vector search over the tenant's collection of the current model (HNSW, cosine), and hybrid search
 * fusing it with PostgreSQL full-text ranking by reciprocal rank fusion.
 */
@ApplicationScoped
public class SearchService {

    /** The usual RRF constant: damps the weight of the very first ranks. */
    private static final int RRF_K = 60;

    private final TenantDb db;
    private final DocumentRepository documents;
    private final Embedder embedder;
    private final ObjectMapper json;

    SearchService(TenantDb db, DocumentRepository documents, Embedder embedder, ObjectMapper json) {
        this.db = db;
        this.documents = documents;
        this.embedder = embedder;
        this.json = json;
    }

    public List<SearchHit> search(String tenantId, SearchRequest request) {
        Optional<Long> collection = documents.findCollection(tenantId, embedder.model(), embedder.dimension());
        if (collection.isEmpty()) {
            return List.of();
        }
        int topK = request.topKOrDefault();
        String vector = EmbeddedChunk.pgvector(embedder.embed(List.of(request.query())).vectors().get(0));
        Filter filter = filter(request.filters());
        if (request.modeOrDefault() == SearchRequest.Mode.vector) {
            return db.awaitInTenant(tenantId, connection -> tune(connection, topK)
                    .flatMap(ignored -> nearest(connection, collection.get(), vector, filter, topK)));
        }
        int candidates = Math.max(topK * 4, 40);
        return db.awaitInTenant(tenantId, connection -> tune(connection, candidates)
                .flatMap(ignored -> nearest(connection, collection.get(), vector, filter, candidates))
                .flatMap(semantic -> fullText(connection, collection.get(), request.query(), filter, candidates)
                        .map(lexical -> fuse(semantic, lexical, topK))));
    }

    /**
     * Lets the HNSW scan continue past its first candidates when filters discard some (pgvector 0.8
     * iterative scans), so a filtered search still returns top_k.
     */
    private static Uni<Void> tune(SqlConnection connection, int limit) {
        return connection.query("SET LOCAL hnsw.iterative_scan = relaxed_order").execute()
                .flatMap(ignored -> connection.query("SET LOCAL hnsw.ef_search = " + Math.max(40, Math.min(1000, limit * 2)))
                        .execute())
                .replaceWithVoid();
    }

    private record Filter(String sql, List<Object> args) {
    }

    /** Filters as SQL over chunk c, with parameters numbered from $3. */
    private Filter filter(SearchRequest.Filters filters) {
        StringBuilder sql = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (filters == null) {
            return new Filter("", args);
        }
        List<String> documentConditions = new ArrayList<>();
        if (filters.source() != null && !filters.source().isBlank()) {
            args.add(filters.source());
            documentConditions.add("d.source = $" + (args.size() + 2));
        }
        if (filters.metadata() != null && !filters.metadata().isEmpty()) {
            try {
                args.add(json.writeValueAsString(filters.metadata()));
            } catch (JsonProcessingException e) {
                throw ProblemException.badRequest("filters.metadata is not a JSON object");
            }
            documentConditions.add("d.metadata @> $" + (args.size() + 2) + "::text::jsonb");
        }
        if (filters.documentId() != null && !filters.documentId().isBlank()) {
            try {
                args.add(UUID.fromString(filters.documentId()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("filters.document_id is not a document id");
            }
            sql.append(" AND c.document_id = $").append(args.size() + 2);
        }
        if (!documentConditions.isEmpty()) {
            sql.append(" AND c.document_id IN (SELECT d.id FROM documents d WHERE ")
                    .append(String.join(" AND ", documentConditions)).append(')');
        }
        return new Filter(sql.toString(), args);
    }

    private static final String HIT_COLUMNS = "n.id, n.text, n.document_id, n.position, n.token_count, n.start_offset,"
            + " n.end_offset, d.title, d.source, d.source_id, d.url";

    private Uni<List<SearchHit>> nearest(SqlConnection connection, long collection, String vector, Filter filter,
            int limit) {
        int dimension = embedder.dimension();
        // The collection id and dimension are literals so the planner matches the collection's partial HNSW index.
        String distance = "c.embedding::vector(" + dimension + ") <=> $1::vector(" + dimension + ")";
        String sql = "SELECT " + HIT_COLUMNS + ", n.distance FROM (SELECT c.*, " + distance + " AS distance"
                + " FROM chunks c WHERE c.collection_id = " + collection + filter.sql() + " ORDER BY " + distance
                + " LIMIT $2) n JOIN documents d ON d.id = n.document_id ORDER BY n.distance";
        List<Object> args = new ArrayList<>(List.of(vector, limit));
        args.addAll(filter.args());
        return connection.preparedQuery(sql).execute(Tuple.from(args))
                .map(rows -> hits(rows, row -> 1 - row.getDouble("distance")));
    }

    private Uni<List<SearchHit>> fullText(SqlConnection connection, long collection, String query, Filter filter,
            int limit) {
        String sql = "SELECT " + HIT_COLUMNS + ", n.rank FROM (SELECT c.*, ts_rank_cd(c.text_search, q) AS rank"
                + " FROM chunks c, websearch_to_tsquery('english', $1) q WHERE c.collection_id = " + collection
                + " AND c.text_search @@ q" + filter.sql() + " ORDER BY rank DESC LIMIT $2) n"
                + " JOIN documents d ON d.id = n.document_id ORDER BY n.rank DESC";
        List<Object> args = new ArrayList<>(List.of(query, limit));
        args.addAll(filter.args());
        return connection.preparedQuery(sql).execute(Tuple.from(args))
                .map(rows -> hits(rows, row -> row.getDouble("rank")));
    }

    /** Reciprocal rank fusion: each list adds 1 / (60 + rank) for the chunks it ranked. */
    static List<SearchHit> fuse(List<SearchHit> semantic, List<SearchHit> lexical, int topK) {
        Map<Long, SearchHit> byId = new LinkedHashMap<>();
        Map<Long, Double> scores = new HashMap<>();
        for (List<SearchHit> ranking : List.of(semantic, lexical)) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                SearchHit hit = ranking.get(rank);
                byId.putIfAbsent(hit.chunkId(), hit);
                scores.merge(hit.chunkId(), 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return byId.values().stream()
                .sorted((a, b) -> Double.compare(scores.get(b.chunkId()), scores.get(a.chunkId())))
                .limit(topK)
                .map(hit -> new SearchHit(hit.chunkId(), scores.get(hit.chunkId()), hit.text(), hit.documentId(),
                        hit.title(), hit.source(), hit.sourceId(), hit.url(), hit.position(), hit.tokenCount(),
                        hit.startOffset(), hit.endOffset()))
                .toList();
    }

    private static List<SearchHit> hits(Iterable<Row> rows, ToDoubleFunction<Row> score) {
        List<SearchHit> hits = new ArrayList<>();
        for (Row row : rows) {
            hits.add(hit(row, score.applyAsDouble(row)));
        }
        return hits;
    }

    private static SearchHit hit(Row row, double score) {
        return new SearchHit(row.getLong("id"), score, row.getString("text"), row.getUUID("document_id"),
                row.getString("title"), row.getString("source"), row.getString("source_id"), row.getString("url"),
                row.getInteger("position"), row.getInteger("token_count"), row.getInteger("start_offset"),
                row.getInteger("end_offset"));
    }
}
