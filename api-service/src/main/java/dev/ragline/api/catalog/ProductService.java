package dev.ragline.api.catalog;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.common.ApiProblem;
import dev.ragline.api.common.PgErrors;
import dev.ragline.api.common.TenantDatabase;
import dev.ragline.api.outbox.OutboxWriter;
import dev.ragline.api.outbox.OutboxWriter.OutboxEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/** The catalogue: reads through the cache, writes with their outbox event in one transaction, then invalidate. */
@ApplicationScoped
public class ProductService {

    private final TenantDatabase database;
    private final ProductRepository products;
    private final ProductCache cache;
    private final OutboxWriter outbox;

    public ProductService(TenantDatabase database, ProductRepository products, ProductCache cache, OutboxWriter outbox) {
        this.database = database;
        this.products = products;
        this.cache = cache;
        this.outbox = outbox;
    }

    public Uni<Product> get(UUID tenantId, UUID id) {
        return cache.product(tenantId, id, () -> database.inTenant(tenantId, tx -> products.find(tx, tenantId, id)))
                .map(product -> product.orElseThrow(() -> notFound(id)));
    }

    public Uni<ProductPage> list(UUID tenantId, ProductQuery query) {
        return cache.page(tenantId, query, () -> database.inTenant(tenantId, tx -> products.list(tx, tenantId, query)));
    }

    public Uni<Product> create(UUID tenantId, ProductDraft draft) {
        return database.inTenant(tenantId, tx -> products.insert(tx, tenantId, draft)
                .map(inserted -> inserted.orElseThrow(() -> skuTaken(draft)))
                .call(product -> outbox.append(tx, upserted(tenantId, product))))
                .call(product -> cache.invalidate(tenantId, product.id()));
    }

    public Uni<Product> replace(UUID tenantId, UUID id, ProductDraft draft) {
        return database.inTenant(tenantId, tx -> products.find(tx, tenantId, id)
                .map(existing -> existing.orElseThrow(() -> notFound(id)))
                .chain(() -> products.replace(tx, tenantId, id, draft))
                .map(updated -> updated.orElseThrow(() -> notFound(id)))
                .call(product -> outbox.append(tx, upserted(tenantId, product))))
                .onFailure(PgErrors::isUniqueViolation).transform(e -> skuTaken(draft))
                .call(product -> cache.invalidate(tenantId, id));
    }

    public Uni<Void> delete(UUID tenantId, UUID id) {
        return database.inTenant(tenantId, tx -> products.delete(tx, tenantId, id)
                .map(deleted -> deleted.orElseThrow(() -> notFound(id)))
                .call(deleted -> outbox.append(tx,
                        new OutboxEvent("product_deleted", tenantId, "product", id, deleted.version(),
                                new JsonObject().put("product_id", id.toString()).put("sku", deleted.sku())))))
                .call(() -> cache.invalidate(tenantId, id))
                .replaceWithVoid();
    }

    private static OutboxEvent upserted(UUID tenantId, Product product) {
        return new OutboxEvent("product_upserted", tenantId, "product", product.id(), product.version(),
                product.toEventPayload());
    }

    private static ApiProblem notFound(UUID id) {
        return ApiProblem.notFound("Product " + id);
    }

    private static ApiProblem skuTaken(ProductDraft draft) {
        return ApiProblem.conflict("sku-taken", "SKU " + draft.sku() + " is already used by another product");
    }
}
