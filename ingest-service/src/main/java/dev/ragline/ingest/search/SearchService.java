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
 * Vector search over the tenant's collection of the current model (HNSW, cosine), full-text search
 * ranked by the rarity of the query's terms ({@link QueryTerms}, {@code match_terms}), and hybrid
 * search fusing both by weighted reciprocal rank fusion.
 *
 * <p>
 * A search costs one round trip to find the collection (then cached), the query embedding on
 * {@link QueryEmbeddings}' pool, and one pipelined transaction (sent together, not each statement
 * awaited) that declares the tenant and the hnsw settings in one statement and runs the whole search
 * (both rankings for hybrid) in another.
 */
@ApplicationScoped
public class SearchService {

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
                : vector(plan, request.query()).flatMap(vector -> run(tenantId, collection.get(), plan, vector,
                        request.query())));
    }

    /** The database side of a search whose query is already embedded (the benchmark times it apart). */
    public Uni<List<SearchHit>> search(String tenantId, SearchRequest request, float[] queryVector) {
        Plan plan = plan(request);
        return collection(tenantId).flatMap(collection -> collection.isEmpty() ? Uni.createFrom().item(List.of())
                : run(tenantId, collection.get(), plan, queryVector, request.query()));
    }

    /** Text search needs no query embedding; the others wait for it on the embedding pool. */
    private Uni<float[]> vector(Plan plan, String query) {
        return plan.mode() == SearchRequest.Mode.text ? Uni.createFrom().item(new float[0]) : queries.embed(query);
    }

    private Uni<List<SearchHit>> run(String tenantId, long collection, Plan plan, float[] vector, String query) {
        return db.queryInTenant(tenantId, plan.settings(), plan.sql(collection, embedder.dimension()),
                plan.args(vector, query)).map(plan::hits);
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
                        plan.args(vector, request.query())))
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
        SearchRequest.Mode mode = request.modeOrDefault();
        int topK = request.topKOrDefault();
        int candidates = mode == SearchRequest.Mode.hybrid ? Math.max(topK * config.fusion().candidatesPerResult(),
                config.fusion().minCandidates()) : topK;
        return new Plan(mode, topK, candidates, filter(request.filters()));
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

        private final SearchRequest.Mode mode;
        private final int topK;
        /** Rows each ranking returns: top_k for vector and text, more candidates for fusion in hybrid. */
        private final int candidates;
        private final Filter filter;

        Plan(SearchRequest.Mode mode, int topK, int candidates, Filter filter) {
            this.mode = mode;
            this.topK = topK;
            this.candidates = candidates;
            this.filter = filter;
        }

        SearchRequest.Mode mode() {
            return mode;
        }

        /**
         * pgvector 0.8 iterative scans let the HNSW scan continue past its first candidates when a
         * filter discards some, so a filtered search still returns top_k; ef_search follows the rows
         * asked for.
         */
        Map<String, String> settings() {
            Map<String, String> settings = new LinkedHashMap<>();
            if (mode != SearchRequest.Mode.text) {
                settings.put("hnsw.iterative_scan", "relaxed_order");
                settings.put("hnsw.ef_search",
                        String.valueOf(Math.max(config.efSearch(), Math.min(1000, candidates * 2))));
            }
            return settings;
        }

        /**
         * The collection id, dimension and limits are literals, not parameters: the planner then
         * matches the collection's partial HNSW index and costs the LIMIT it really has, and a cached
         * generic plan cannot fall back to a sequential scan.
         */
        String sql(long collection, int dimension) {
            String distance = "c.embedding::vector(" + dimension + ") <=> $1::vector(" + dimension + ")";
            if (mode == SearchRequest.Mode.text) {
                // Parameters: $1 the query's terms, $2-$4 the filters (NULL when absent).
                return lexical(collection, 1, "NULL::float8") + " ORDER BY rank";
            }
            // Parameters: $1 the query vector; hybrid: $2 the query's terms and $3-$5 the filters, always
            // bound (NULL when absent) for match_terms; vector: the filters present, from $2.
            String filterSql;
            if (mode == SearchRequest.Mode.hybrid) {
                filterSql = filter.sql(3, 4, 5);
            } else {
                int next = 2;
                int source = filter.source() != null ? next++ : 0;
                int metadata = filter.metadata() != null ? next++ : 0;
                filterSql = filter.sql(source, metadata, filter.documentId() != null ? next : 0);
            }
            String nearest = "SELECT " + CHUNK_COLUMNS + ", " + distance + " AS distance FROM chunks c"
                    + " WHERE c.collection_id = " + collection + filterSql + " ORDER BY " + distance + " LIMIT "
                    + candidates;
            String semantic = "SELECT 'vector' AS ranking, row_number() OVER (ORDER BY n.distance, n.id) AS rank, "
                    + HIT_COLUMNS + ", 1 - n.distance AS score, n.distance AS distance FROM (" + nearest + ") n"
                    + " JOIN documents d ON d.id = n.document_id";
            if (mode == SearchRequest.Mode.vector) {
                return semantic + " ORDER BY rank";
            }
            // The full-text candidates carry their own distance to the query, so that fusion ranks them
            // among the vector candidates by it even when the HNSW list did not reach them.
            String lexical = lexical(collection, 2, "n.embedding::vector(" + dimension + ") <=> $1::vector("
                    + dimension + ")");
            return semantic + " UNION ALL " + lexical + " ORDER BY ranking DESC, rank";
        }

        /**
         * Full text through match_terms (the GIN index, which RLS keeps from a plain query), joined back
         * to chunks under RLS; its terms are parameter {@code first}, the filters the three after it.
         */
        private String lexical(long collection, int first, String distance) {
            return "SELECT 'text' AS ranking, row_number() OVER (ORDER BY m.text_rank DESC, m.chunk_id) AS rank, "
                    + HIT_COLUMNS + ", m.text_rank AS score, " + distance + " AS distance FROM match_terms("
                    + collection + ", $" + first + "::text[], " + candidates + ", " + config.fusion().dfCap()
                    + ", $" + (first + 1) + "::text, $" + (first + 2) + "::text::jsonb, $" + (first + 3)
                    + "::uuid) m JOIN chunks n ON n.id = m.chunk_id JOIN documents d ON d.id = n.document_id";
        }

        Tuple args(float[] vector, String query) {
            List<Object> args = new ArrayList<>();
            if (mode != SearchRequest.Mode.text) {
                args.add(EmbeddedChunk.pgvector(vector));
            }
            if (mode != SearchRequest.Mode.vector) {
                args.add(QueryTerms.of(query).toArray(String[]::new));
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
            List<Candidate> semantic = new ArrayList<>();
            List<Candidate> lexical = new ArrayList<>();
            for (Row row : rows) {
                Double distance = row.getDouble("distance");
                Candidate candidate = new Candidate(hit(row), distance == null ? Double.NaN : distance);
                ("vector".equals(row.getString("ranking")) ? semantic : lexical).add(candidate);
            }
            return switch (mode) {
                case vector -> semantic.stream().map(Candidate::hit).toList();
                case text -> lexical.stream().map(Candidate::hit).toList();
                case hybrid -> fuse(semantic, lexical, topK, config.fusion());
            };
        }
    }

    /** A chunk one ranking found, with its distance to the query vector (NaN in text mode). */
    record Candidate(SearchHit hit, double distance) {
    }

    /**
     * Weighted reciprocal rank fusion over the union of both candidate lists. Each chunk's vector rank
     * is its place among all candidates by distance (the full-text ones carry their distance too), not
     * only within the HNSW list: plain RRF gives a chunk found by one list 1 / (k + rank) whichever list
     * it is, so an exact match just outside the vector candidates tied with, and could lose to, a
     * chunk that matched nothing lexically. Here a full-text match always adds its text share to a
     * vector share no worse than its distance deserves.
     */
    static List<SearchHit> fuse(List<Candidate> semantic, List<Candidate> lexical, int topK,
            SearchConfig.Fusion fusion) {
        Map<Long, Candidate> byId = new LinkedHashMap<>();
        for (Candidate candidate : semantic) {
            byId.putIfAbsent(candidate.hit().chunkId(), candidate);
        }
        for (Candidate candidate : lexical) {
            byId.putIfAbsent(candidate.hit().chunkId(), candidate);
        }
        Map<Long, Double> scores = new HashMap<>();
        List<Candidate> byDistance = new ArrayList<>(byId.values());
        byDistance.sort((a, b) -> Double.compare(a.distance(), b.distance()));
        for (int rank = 0; rank < byDistance.size(); rank++) {
            scores.merge(byDistance.get(rank).hit().chunkId(), fusion.vectorWeight() / (fusion.rrfK() + rank + 1),
                    Double::sum);
        }
        for (int rank = 0; rank < lexical.size(); rank++) {
            scores.merge(lexical.get(rank).hit().chunkId(), fusion.textWeight() / (fusion.rrfK() + rank + 1),
                    Double::sum);
        }
        return byId.values().stream()
                .map(Candidate::hit)
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
