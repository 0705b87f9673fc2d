package dev.ragline.api.promotion;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Promotions of the transaction's tenant; every query also filters by tenant explicitly. */
@ApplicationScoped
public class PromotionRepository {

    private static final String COLUMNS = "id, code, kind, amount, min_subtotal, category, valid_from, valid_until, usage_limit,"
            + " used_count, active, created_at, updated_at";

    public Uni<List<Promotion>> list(SqlConnection tx, UUID tenantId) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM promotions WHERE tenant_id = $1 ORDER BY code")
                .execute(Tuple.of(tenantId))
                .map(PromotionRepository::all);
    }

    public Uni<Optional<Promotion>> find(SqlConnection tx, UUID tenantId, UUID id) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM promotions WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> all(rows).stream().findFirst());
    }

    public Uni<Optional<Promotion>> findByCode(SqlConnection tx, UUID tenantId, String code) {
        return tx.preparedQuery("SELECT " + COLUMNS + " FROM promotions WHERE tenant_id = $1 AND code = upper($2)")
                .execute(Tuple.of(tenantId, code))
                .map(rows -> all(rows).stream().findFirst());
    }

    /** Empty when the code is taken in this tenant. */
    public Uni<Optional<Promotion>> insert(SqlConnection tx, UUID tenantId, PromotionDraft draft) {
        return tx.preparedQuery("INSERT INTO promotions (id, tenant_id, code, kind, amount, min_subtotal, category, valid_from,"
                + " valid_until, usage_limit, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                + " ON CONFLICT (tenant_id, code) DO NOTHING RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] { UUID.randomUUID(), tenantId, draft.normalizedCode(), draft.kind(),
                        draft.amount(),
                        draft.minSubtotalOrZero(), draft.category(), draft.validFrom(), draft.validUntil(), draft.usageLimit(),
                        draft.activeOrDefault() }))
                .map(rows -> all(rows).stream().findFirst());
    }

    public Uni<Optional<Promotion>> replace(SqlConnection tx, UUID tenantId, UUID id, PromotionDraft draft) {
        return tx.preparedQuery("UPDATE promotions SET code = $3, kind = $4, amount = $5, min_subtotal = $6, category = $7,"
                + " valid_from = $8, valid_until = $9, usage_limit = $10, active = $11, updated_at = now()"
                + " WHERE tenant_id = $1 AND id = $2 RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] { tenantId, id, draft.normalizedCode(), draft.kind(), draft.amount(),
                        draft.minSubtotalOrZero(), draft.category(), draft.validFrom(), draft.validUntil(), draft.usageLimit(),
                        draft.activeOrDefault() }))
                .map(rows -> all(rows).stream().findFirst());
    }

    public Uni<Boolean> delete(SqlConnection tx, UUID tenantId, UUID id) {
        return tx.preparedQuery("DELETE FROM promotions WHERE tenant_id = $1 AND id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.rowCount() == 1);
    }

    private static List<Promotion> all(RowSet<Row> rows) {
        List<Promotion> promotions = new ArrayList<>();
        for (Row row : rows) {
            promotions.add(new Promotion(row.getUUID("id"), row.getString("code"), row.getString("kind"),
                    row.getBigDecimal("amount").setScale(2), row.getBigDecimal("min_subtotal").setScale(2),
                    row.getString("category"), row.getOffsetDateTime("valid_from"), row.getOffsetDateTime("valid_until"),
                    row.getInteger("usage_limit"), row.getInteger("used_count"), row.getBoolean("active"),
                    row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at")));
        }
        return promotions;
    }
}
