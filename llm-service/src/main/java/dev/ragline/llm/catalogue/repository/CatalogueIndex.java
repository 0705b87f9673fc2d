package dev.ragline.llm.catalogue.repository;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ragline.llm.catalogue.CatalogueItem;
import dev.ragline.llm.catalogue.MenuQuery;
import dev.ragline.llm.catalogue.ProductSnapshot;
import dev.ragline.llm.common.LlmConfig;
import dev.ragline.llm.common.TenantTransactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The pgvector table behind retrieve_menu; every statement runs inside one tenant's transaction. */
@ApplicationScoped
public class CatalogueIndex {

    private static final String UPSERT = """
            INSERT INTO catalogue_items (tenant_id, product_id, sku, name, description, category, tags, price,
                                         currency, available, deleted, aggregate_version, embedding, indexed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, false, $11, $12::vector, now())
            ON CONFLICT (tenant_id, product_id) DO UPDATE SET
                sku = EXCLUDED.sku, name = EXCLUDED.name, description = EXCLUDED.description,
                category = EXCLUDED.category, tags = EXCLUDED.tags, price = EXCLUDED.price,
                currency = EXCLUDED.currency, available = EXCLUDED.available, deleted = false,
                aggregate_version = GREATEST(catalogue_items.aggregate_version, EXCLUDED.aggregate_version),
                embedding = EXCLUDED.embedding, indexed_at = now()
            WHERE catalogue_items.aggregate_version <= EXCLUDED.aggregate_version""";

    private static final String TOMBSTONE = """
            INSERT INTO catalogue_items (tenant_id, product_id, sku, deleted, available, aggregate_version)
            VALUES ($1, $2, $3, true, false, $4)
            ON CONFLICT (tenant_id, product_id) DO UPDATE SET
                deleted = true, available = false, embedding = NULL,
                aggregate_version = GREATEST(catalogue_items.aggregate_version, EXCLUDED.aggregate_version),
                indexed_at = now()
            WHERE catalogue_items.aggregate_version <= EXCLUDED.aggregate_version""";

    // The tenant is a literal so that the planner can match the tenant's own partial HNSW index (V5), when
    // it has one: then the scan walks a graph of that tenant's products only, and pgvector's iterative scan
    // (relaxed order, re-sorted outside) keeps going until the filters let `limit` rows through. A tenant
    // without its index is ranked exactly from its rows (the primary key's tenant prefix). The literal is a
    // java.util.UUID's own text, never text from a request. Plans are custom per execution: a cached generic
    // plan (unknown limit, price and tags) ranked the whole tenant by a sort instead of using the index.
    private static final String SEARCH = """
            SELECT product_id, sku, name, description, category, tags, price, currency, available
            FROM (SELECT product_id, sku, name, description, category, tags, price, currency, available,
                         embedding <=> $4::vector AS distance
                  FROM catalogue_items
                  WHERE tenant_id = '%s'::uuid AND NOT deleted AND available
                    AND ($1::numeric IS NULL OR price <= $1::numeric)
                    AND ($2::text IS NULL OR rtrim(lower(category), 's') = rtrim(lower($2::text), 's'))
                    AND tags @> $3::text[]
                    AND (cardinality($6::text[]) = 0 OR tags && $6::text[])
                    AND NOT tags && $7::text[]
                  ORDER BY embedding <=> $4::vector
                  LIMIT $5) nearest
            ORDER BY distance""";

    private static final Logger LOG = Logger.getLogger(CatalogueIndex.class);

    private final TenantTransactions transactions;
    private final int vectorIndexThreshold;
    /** Tenants known to have their own HNSW index, so indexing stops asking once it exists. */
    private final Set<UUID> withVectorIndex = ConcurrentHashMap.newKeySet();

    CatalogueIndex(TenantTransactions transactions, LlmConfig config) {
        this.transactions = transactions;
        this.vectorIndexThreshold = config.catalogue().vectorIndexThreshold();
    }

    /**
     * Applies an upsert once per event id: the processed_events row and the change commit together, and
     * an older version never overwrites a newer one. Returns false when the event was seen before.
     */
    public boolean applyUpsert(String consumer, UUID eventId, UUID tenantId, ProductSnapshot product, long version,
            String embedding) {
        boolean applied = transactions.inTenant(tenantId, connection -> firstDelivery(connection, consumer, eventId)
                .flatMap(first -> first ? upsert(connection, tenantId, product, version, embedding).replaceWith(true)
                        : Uni.createFrom().item(false)));
        if (applied) {
            ensureVectorIndex(tenantId);
        }
        return applied;
    }

    /**
     * Gives the tenant its own partial HNSW index once it has enough products (a one-off build that holds
     * writes to the table meanwhile: about a second per thousand products). Failures only cost speed:
     * retrieval stays exact without the index, and the next upsert asks again.
     */
    public void ensureVectorIndex(UUID tenantId) {
        if (withVectorIndex.contains(tenantId)) {
            return;
        }
        try {
            boolean indexed = transactions.inTenant(tenantId, connection -> connection
                    .preparedQuery("SELECT llm.ensure_tenant_vector_index($1) AS indexed")
                    .execute(Tuple.of(vectorIndexThreshold)).map(rows -> rows.iterator().next().getBoolean("indexed")));
            if (indexed) {
                withVectorIndex.add(tenantId);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not ensure the vector index of tenant %s: %s", tenantId, e.toString());
        }
    }

    public boolean applyDeletion(String consumer, UUID eventId, UUID tenantId, UUID productId, String sku,
            long version) {
        return transactions.inTenant(tenantId, connection -> firstDelivery(connection, consumer, eventId)
                .flatMap(first -> first ? connection.preparedQuery(TOMBSTONE)
                        .execute(Tuple.of(tenantId, productId, sku == null ? "" : sku, version)).replaceWith(true)
                        : Uni.createFrom().item(false)));
    }

    /** Re-indexes products read from api-service: current state wins, without an event version to compare. */
    public void replace(UUID tenantId, ProductSnapshot product, String embedding) {
        transactions.inTenant(tenantId, connection -> upsert(connection, tenantId, product, 0, embedding)
                .flatMap(ignored -> connection.preparedQuery(
                        "UPDATE catalogue_items SET sku = $3, name = $4, description = $5, category = $6, tags = $7, "
                                + "price = $8, currency = $9, available = $10, deleted = false, embedding = $11::vector, "
                                + "indexed_at = now() WHERE tenant_id = $1 AND product_id = $2")
                        .execute(Tuple.from(Arrays.<Object> asList(tenantId, product.identity(), product.sku(), product.name(),
                                nullToEmpty(product.description()), nullToEmpty(product.category()),
                                tagsOf(product), product.price(), product.currency(), product.available(),
                                embedding)))));
    }

    /** Marks every product of the tenant that api-service no longer lists as deleted; returns how many. */
    public int removeAllExcept(UUID tenantId, Set<UUID> keep) {
        return transactions.inTenant(tenantId, connection -> connection.preparedQuery(
                "UPDATE catalogue_items SET deleted = true, available = false, embedding = NULL, indexed_at = now() "
                        + "WHERE tenant_id = $1 AND NOT deleted AND NOT (product_id = ANY($2::uuid[]))")
                .execute(Tuple.of(tenantId, keep.toArray(UUID[]::new))).map(rows -> rows.rowCount()));
    }

    public List<CatalogueItem> search(UUID tenantId, MenuQuery query, String queryEmbedding) {
        String sql = SEARCH.formatted(tenantId);
        return transactions.inTenant(tenantId, connection -> connection
                .query("SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL plan_cache_mode = force_custom_plan")
                .execute()
                .flatMap(ignored -> connection.preparedQuery(sql)
                        .execute(Tuple.from(Arrays.<Object> asList(query.maxPrice(), query.category(),
                                query.exactTags().toArray(String[]::new), queryEmbedding, query.limit(),
                                query.anyOfTags().toArray(String[]::new), query.excludedTags().toArray(String[]::new)))))
                .map(rows -> {
                    List<CatalogueItem> items = new ArrayList<>();
                    rows.forEach(row -> items.add(toItem(row)));
                    return items;
                }));
    }

    private static Uni<Boolean> firstDelivery(SqlConnection connection, String consumer, UUID eventId) {
        return connection.preparedQuery(
                "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(consumer, eventId)).map(rows -> rows.rowCount() == 1);
    }

    private static Uni<?> upsert(SqlConnection connection, UUID tenantId, ProductSnapshot product, long version,
            String embedding) {
        return connection.preparedQuery(UPSERT).execute(Tuple.from(Arrays.<Object> asList(tenantId, product.identity(),
                product.sku(), product.name(), nullToEmpty(product.description()), nullToEmpty(product.category()),
                tagsOf(product), product.price(), product.currency(), product.available(), version, embedding)));
    }

    private static String[] tagsOf(ProductSnapshot product) {
        return product.tags() == null ? new String[0]
                : product.tags().stream().map(MenuQuery::normaliseTag).toArray(String[]::new);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static CatalogueItem toItem(Row row) {
        BigDecimal price = row.getBigDecimal("price");
        return new CatalogueItem(row.getUUID("product_id"), row.getString("sku"), row.getString("name"),
                row.getString("description"), row.getString("category"), price,
                row.getString("currency").strip(), Arrays.asList(row.getArrayOfStrings("tags")),
                row.getBoolean("available"));
    }
}
