package dev.ragline.api.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Products of the transaction's tenant; every query also filters by tenant explicitly. */
@ApplicationScoped
public class ProductRepository {

    private static final String COLUMNS = "id, sku, name, description, price, currency, category, tags, available, created_at, updated_at, version";
    // $1 tenant, $2 text found in name or description, $3 category, $4 tag, $5 maximum price
    private static final String FILTER = " WHERE tenant_id = $1"
            + " AND ($2::text IS NULL OR name ILIKE '%' || $2 || '%' OR description ILIKE '%' || $2 || '%')"
            + " AND ($3::text IS NULL OR category = $3)"
            + " AND ($4::text IS NULL OR $4 = ANY (tags))"
            + " AND ($5::numeric IS NULL OR price <= $5)";

    public record Deleted(UUID id, String sku, long version) {
    }

    public Uni<Optional<Product>> find(SqlConnection tx, UUID tenantId, UUID id) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM products WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(ProductRepository::first);
    }

    public Uni<List<Product>> findAll(SqlConnection tx, UUID tenantId, Collection<UUID> ids) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM products WHERE tenant_id = $1 AND id = ANY($2)")
                .execute(Tuple.of(tenantId, ids.toArray(UUID[]::new)))
                .map(ProductRepository::all);
    }

    public Uni<ProductPage> list(SqlConnection tx, UUID tenantId, ProductQuery query) {
        return tx.preparedQuery("SELECT " + COLUMNS + ", count(*) OVER () AS total_count FROM products" + FILTER
                + " ORDER BY category, name, id LIMIT $6 OFFSET $7")
                .execute(Tuple
                        .from(new Object[] { tenantId, likePattern(query.q()), query.category(), query.tag(), query.maxPrice(),
                                query.size(), (long) query.page() * query.size() }))
                .chain(rows -> {
                    List<Product> items = all(rows);
                    if (!items.isEmpty() || query.page() == 0) {
                        long total = items.isEmpty() ? 0 : rows.iterator().next().getLong("total_count");
                        return Uni.createFrom().item(new ProductPage(items, query.page(), query.size(), total));
                    }
                    // Past the last page the window count is unknown; count separately.
                    return count(tx, tenantId, query).map(total -> new ProductPage(items, query.page(), query.size(), total));
                });
    }

    private Uni<Long> count(SqlConnection tx, UUID tenantId, ProductQuery query) {
        return tx.preparedQuery("SELECT count(*) AS total FROM products" + FILTER)
                .execute(Tuple.of(tenantId, likePattern(query.q()), query.category(), query.tag(), query.maxPrice()))
                .map(rows -> rows.iterator().next().getLong("total"));
    }

    /** Empty when the SKU is taken in this tenant. */
    public Uni<Optional<Product>> insert(SqlConnection tx, UUID tenantId, ProductDraft draft) {
        return tx.preparedQuery("""
                INSERT INTO products (id, tenant_id, sku, name, description, price, currency, category, tags, available)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (tenant_id, sku) DO NOTHING RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(new Object[] { UUID.randomUUID(), tenantId, draft.sku(), draft.name(), draft.description(),
                        draft.price(), draft.currency(), draft.category(), draft.tagsOrEmpty().toArray(String[]::new),
                        draft.availableOrDefault() }))
                .map(ProductRepository::first);
    }

    public Uni<Optional<Product>> replace(SqlConnection tx, UUID tenantId, UUID id, ProductDraft draft) {
        return tx.preparedQuery("""
                UPDATE products SET sku = $3, name = $4, description = $5, price = $6, currency = $7, category = $8,
                                    tags = $9, available = $10, version = version + 1, updated_at = now()
                WHERE tenant_id = $1 AND id = $2 RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(new Object[] { tenantId, id, draft.sku(), draft.name(), draft.description(), draft.price(),
                        draft.currency(), draft.category(), draft.tagsOrEmpty().toArray(String[]::new),
                        draft.availableOrDefault() }))
                .map(ProductRepository::first);
    }

    public Uni<Optional<Deleted>> delete(SqlConnection tx, UUID tenantId, UUID id) {
        return tx
                .preparedQuery(
                        "DELETE FROM products WHERE tenant_id = $1 AND id = $2 RETURNING id, sku, version + 1 AS version")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(toDeleted(rows.iterator().next()))
                        : Optional.empty());
    }

    /** The search text with LIKE's wildcards escaped, so "50%" matches literally. */
    private static String likePattern(String text) {
        return text == null ? null : text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Deleted toDeleted(Row row) {
        return new Deleted(row.getUUID("id"), row.getString("sku"), row.getLong("version"));
    }

    private static Optional<Product> first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? Optional.of(toProduct(rows.iterator().next())) : Optional.empty();
    }

    private static List<Product> all(RowSet<Row> rows) {
        List<Product> products = new ArrayList<>(rows.size());
        rows.forEach(row -> products.add(toProduct(row)));
        return products;
    }

    private static Product toProduct(Row row) {
        return new Product(row.getUUID("id"), row.getString("sku"), row.getString("name"), row.getString("description"),
                row.getBigDecimal("price").setScale(2), row.getString("currency"), row.getString("category"),
                List.of(row.getArrayOfStrings("tags")), row.getBoolean("available"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"), row.getLong("version"));
    }
}
