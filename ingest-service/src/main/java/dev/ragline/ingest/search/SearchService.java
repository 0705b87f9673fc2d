package dev.ragline.ingest.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.common.TenantDb;
import dev.ragline.ingest.document.EmbeddedChunk;
import dev.ragline.ingest.embedding.Embedder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Vector search over the tenant's collection of the current model (HNSW, cosine), and hybrid search
 * fusing it with PostgreSQL full-text ranking by reciprocal rank fusion.
 *
 * <p>
 * A search costs one round trip to find the collection (then cached), the query embedding on
 * {@link QueryEmbeddings}' pool, and one pipelined transaction (sent together, not each statement
 * awaited) that declares the tenant and the hnsw settings in one statement and runs the whole search
 * (both rankings for hybrid) in another.
 */
@ApplicationScoped
public class SearchService {

    /** The usual RRF constant: damps the weight of the very first ranks. */
    private static final int RRF_K = 60;

    private final TenantDb db;
    private final Embedder embedder;
    private final QueryEmbeddings queries;
    private final SearchConfig config;
    private final ObjectMapper json;
    /**
     * Collection ids by tenant for this instance's model. A collection is never deleted nor renumbered,
     * so a cached id stays right; only found ones are cached, so a tenant's first ingest is seen at once.
     */
    private final Map<String, Long> collections = new ConcurrentHashMap<>();

    SearchService(TenantDb db, Embedder embedder, QueryEmbeddings queries, SearchConfig config, ObjectMapper json) {
        this.db = db;
        this.embedder = embedder;
        this.queries = queries;
        this.config = config;
        this.json = json;
    }

    public Uni<List<SearchHit>> search(String tenantId, SearchRequest request) {
        Plan plan = plan(request);
        return collection(tenantId).flatMap(collection -> collection.isEmpty() ? Uni.createFrom().item(List.of())
                : queries.embed(request.query()).flatMap(vector -> run(tenantId, collection.get(), plan, vector,
                        request.query())));
    }

    /** The database side of a search whose query is already embedded (the benchmark times it apart). */
    public Uni<List<SearchHit>> search(String tenantId, SearchRequest request, float[] queryVector) {
        Plan plan = plan(request);
        return collection(tenantId).flatMap(collection -> collection.isEmpty() ? Uni.createFrom().item(List.of())
                : run(tenantId, collection.get(), plan, queryVector, request.query()));
    }

    private Uni<List<SearchHit>> run(String tenantId, long collection, Plan plan, float[] vector, String query) {
        return db.queryInTenant(tenantId, plan.settings(), plan.sql(collection, embedder.dimension()),
                plan.args(EmbeddedChunk.pgvector(vector), query)).map(plan::hits);
    }

    /**
     * EXPLAIN (ANALYZE, BUFFERS) of the statement a search runs, with the same settings: for the
     * benchmark, and for finding out why a search is slow.
     */
    public Uni<List<String>> explain(String tenantId, SearchRequest request) {
        Plan plan = plan(request);
        return collection(tenantId).flatMap(collection -> queries.embed(request.query())
                .flatMap(vector -> db.queryInTenant(tenantId, plan.settings(),
                        "EXPLAIN (ANALYZE, BUFFERS) " + plan.sql(collection.orElseThrow(), embedder.dimension()),
                        plan.args(EmbeddedChunk.pgvector(vector), request.query())))
                .map(rows -> {
                    List<String> lines = new ArrayList<>();
                    rows.forEach(row -> lines.add(row.getString(0)));
                    return lines;
                }));
    }

    private Uni<Optional<Long>> collection(String tenantId) {
        Long cached = collections.get(tenantId);
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        return db.inTenant(tenantId, connection -> connection
                .preparedQuery("SELECT id FROM collections WHERE model = $1 AND dimension = $2")
                .execute(Tuple.of(embedder.model(), embedder.dimension()))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.<Long> empty();
                    }
                    long id = rows.iterator().next().getLong("id");
                    collections.put(tenantId, id);
                    return Optional.of(id);
                }));
    }

    private Plan plan(SearchRequest request) {
        boolean hybrid = request.modeOrDefault() == SearchRequest.Mode.hybrid;
        int topK = request.topKOrDefault();
        return new Plan(hybrid, topK, hybrid ? Math.max(topK * 4, 40) : topK, filter(request.filters()));
    }

    /** The request's filters, checked (a bad one is a 400); null where absent. */
    private record Filter(String source, String metadata, UUID documentId) {

        /**
         * The filters as SQL conditions over chunk c, given the parameter number of each (0: absent
         * from the statement).
         */
        String sql(int sourceParam, int metadataParam, int documentParam) {
            StringBuilder sql = new StringBuilder();
            List<String> documentConditions = new ArrayList<>();
            if (source != null) {
                documentConditions.add("d.source = $" + sourceParam);
            }
            if (metadata != null) {
                documentConditions.add("d.metadata @> $" + metadataParam + "::text::jsonb");
            }
            if (documentId != null) {
                sql.append(" AND c.document_id = $").append(documentParam);
            }
            if (!documentConditions.isEmpty()) {
                sql.append(" AND c.document_id IN (SELECT d.id FROM documents d WHERE ")
                        .append(String.join(" AND ", documentConditions)).append(')');
            }
            return sql.toString();
        }
    }

    private Filter filter(SearchRequest.Filters filters) {
        if (filters == null) {
            return new Filter(null, null, null);
        }
        String source = filters.source() != null && !filters.source().isBlank() ? filters.source() : null;
        String metadata = null;
        if (filters.metadata() != null && !filters.metadata().isEmpty()) {
            try {
                metadata = json.writeValueAsString(filters.metadata());
            } catch (JsonProcessingException e) {
                throw ProblemException.badRequest("filters.metadata is not a JSON object");
            }
        }
        UUID documentId = null;
        if (filters.documentId() != null && !filters.documentId().isBlank()) {
            try {
                documentId = UUID.fromString(filters.documentId());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("filters.document_id is not a document id");
            }
        }
        return new Filter(source, metadata, documentId);
    }

    private static final String CHUNK_COLUMNS = "c.id, c.text, c.document_id, c.position, c.token_count,"
            + " c.start_offset, c.end_offset";
    private static final String HIT_COLUMNS = "n.id, n.text, n.document_id, n.position, n.token_count, n.start_offset,"
            + " n.end_offset, d.title, d.source, d.source_id, d.url";

    /** One search: its statement, parameters and settings, and how its rows become hits. */
    private final class Plan {

        private final boolean hybrid;
        private final int topK;
        /** Rows each ranking returns: top_k for vector, more candidates for fusion in hybrid. */
        private final int candidates;
        private final Filter filter;

        Plan(boolean hybrid, int topK, int candidates, Filter filter) {
            this.hybrid = hybrid;
            this.topK = topK;
            this.candidates = candidates;
            this.filter = filter;
        }

        /**
         * pgvector 0.8 iterative scans let the HNSW scan continue past its first candidates when a
         * filter discards some, so a filtered search still returns top_k; ef_search follows the rows
         * asked for.
         */
        Map<String, String> settings() {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("hnsw.iterative_scan", "relaxed_order");
            settings.put("hnsw.ef_search", String.valueOf(Math.max(config.efSearch(), Math.min(1000, candidates * 2))));
            return settings;
        }

        /**
         * The collection id, dimension and limits are literals, not parameters: the planner then
         * matches the collection's partial HNSW index and costs the LIMIT it really has, and a cached
         * generic plan cannot fall back to a sequential scan.
         */
        String sql(long collection, int dimension) {
            // Parameters: $1 the query vector; hybrid: $2 the query text and $3-$5 the filters, always
            // bound (NULL when absent) for match_chunks; vector: the filters present, from $2.
            String filterSql;
            if (hybrid) {
                filterSql = filter.sql(3, 4, 5);
            } else {
                int next = 2;
                int source = filter.source() != null ? next++ : 0;
                int metadata = filter.metadata() != null ? next++ : 0;
                filterSql = filter.sql(source, metadata, filter.documentId() != null ? next : 0);
            }
            String distance = "c.embedding::vector(" + dimension + ") <=> $1::vector(" + dimension + ")";
            String nearest = "SELECT " + CHUNK_COLUMNS + ", " + distance + " AS distance FROM chunks c"
                    + " WHERE c.collection_id = " + collection + filterSql + " ORDER BY " + distance + " LIMIT "
                    + candidates;
            String semantic = "SELECT 'vector' AS ranking, row_number() OVER (ORDER BY n.distance, n.id) AS rank, "
                    + HIT_COLUMNS + ", 1 - n.distance AS score FROM (" + nearest + ") n"
                    + " JOIN documents d ON d.id = n.document_id";
            if (!hybrid) {
                return semantic + " ORDER BY rank";
            }
            // Full text through match_chunks (the GIN index, which RLS keeps from a plain query), then
            // joined back to chunks under RLS.
            String lexical = "SELECT 'text' AS ranking, row_number() OVER (ORDER BY m.text_rank DESC, m.chunk_id) AS rank, "
                    + HIT_COLUMNS + ", m.text_rank AS score FROM match_chunks(" + collection + ", $2, " + candidates
                    + ", $3::text, $4::text::jsonb, $5::uuid) m JOIN chunks n ON n.id = m.chunk_id"
                    + " JOIN documents d ON d.id = n.document_id";
            return semantic + " UNION ALL " + lexical + " ORDER BY ranking DESC, rank";
        }

        Tuple args(String vector, String query) {
            List<Object> args = new ArrayList<>();
            args.add(vector);
            if (hybrid) {
                args.add(query);
                args.add(filter.source());
                args.add(filter.metadata());
                args.add(filter.documentId());
            } else {
                for (Object value : new Object[] { filter.source(), filter.metadata(), filter.documentId() }) {
                    if (value != null) {
                        args.add(value);
                    }
                }
            }
            return Tuple.from(args);
        }

        List<SearchHit> hits(RowSet<Row> rows) {
            List<SearchHit> semantic = new ArrayList<>();
            List<SearchHit> lexical = new ArrayList<>();
            for (Row row : rows) {
                ("vector".equals(row.getString("ranking")) ? semantic : lexical).add(hit(row));
            }
            return hybrid ? fuse(semantic, lexical, topK) : semantic;
        }
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

    private static SearchHit hit(Row row) {
        return new SearchHit(row.getLong("id"), row.getDouble("score"), row.getString("text"),
                row.getUUID("document_id"), row.getString("title"), row.getString("source"),
                row.getString("source_id"), row.getString("url"), row.getInteger("position"),
                row.getInteger("token_count"), row.getInteger("start_offset"), row.getInteger("end_offset"));
    }
}
