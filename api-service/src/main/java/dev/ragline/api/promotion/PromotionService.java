package dev.ragline.api.promotion;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.common.ApiProblem;
import dev.ragline.api.common.PgErrors;
import dev.ragline.api.common.TenantDatabase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class PromotionService {

    private final TenantDatabase database;
    private final PromotionRepository promotions;

    public PromotionService(TenantDatabase database, PromotionRepository promotions) {
        this.database = database;
        this.promotions = promotions;
    }

    public Uni<List<Promotion>> list(UUID tenantId) {
        return database.inTenant(tenantId, tx -> promotions.list(tx, tenantId));
    }

    public Uni<Promotion> get(UUID tenantId, UUID id) {
        return database.inTenant(tenantId, tx -> promotions.find(tx, tenantId, id))
                .map(found -> found.orElseThrow(() -> notFound(id)));
    }

    public Uni<Promotion> create(UUID tenantId, PromotionDraft draft) {
        return database.inTenant(tenantId, tx -> promotions.insert(tx, tenantId, draft))
                .map(created -> created.orElseThrow(() -> codeTaken(draft)));
    }

    public Uni<Promotion> replace(UUID tenantId, UUID id, PromotionDraft draft) {
        return database.inTenant(tenantId, tx -> promotions.replace(tx, tenantId, id, draft))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> codeTaken(draft))
                .map(updated -> updated.orElseThrow(() -> notFound(id)));
    }

    public Uni<Void> delete(UUID tenantId, UUID id) {
        return database.inTenant(tenantId, tx -> promotions.delete(tx, tenantId, id))
                .map(deleted -> {
                    if (!deleted) {
                        throw notFound(id);
                    }
                    return null;
                });
    }

    private static ApiProblem notFound(UUID id) {
        return ApiProblem.notFound("Promotion " + id);
    }

    private static ApiProblem codeTaken(PromotionDraft draft) {
        return ApiProblem.conflict("promo-code-taken", "Promotion code " + draft.normalizedCode() + " already exists");
    }
}
