package dev.ragline.api.order;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.api.common.ApiProblem;
import dev.ragline.api.common.PgErrors;
import dev.ragline.api.common.Sha256;
import dev.ragline.api.common.TenantDatabase;
import dev.ragline.api.outbox.OutboxWriter;
import dev.ragline.api.outbox.OutboxWriter.OutboxEvent;
import dev.ragline.api.pricing.CartPricer;
import dev.ragline.api.pricing.CartRequest;
import dev.ragline.api.pricing.PricedCart;
import dev.ragline.api.promotion.PromotionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Orders: idempotent creation, the status state machine, and an outbox event for every change. */
@ApplicationScoped
public class OrderService {

    private final TenantDatabase database;
    private final OrderRepository orders;
    private final IdempotencyKeys idempotencyKeys;
    private final CartPricer pricer;
    private final PromotionRepository promotions;
    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final OrderConfig config;

    public OrderService(TenantDatabase database, OrderRepository orders, IdempotencyKeys idempotencyKeys, CartPricer pricer,
            PromotionRepository promotions, OutboxWriter outbox, ObjectMapper json, OrderConfig config) {
        this.database = database;
        this.orders = orders;
        this.idempotencyKeys = idempotencyKeys;
        this.pricer = pricer;
        this.promotions = promotions;
        this.outbox = outbox;
        this.json = json;
        this.config = config;
    }

    /** The response to an order request: a new order, or the replay of the one this key created. */
    public record Placed(int status, String body) {
    }

    /**
     * A new order takes two round trips, and its write transaction only one: (1) the cart is priced in a read-only
     * transaction (BEGIN, tenant binding, products and promotion, COMMIT, pipelined); (2) BEGIN, the binding, one
     * statement that claims the key, inserts the order and its outbox event and stores the response, and COMMIT,
     * pipelined. The write transaction therefore spans one round trip to PostgreSQL rather than two round trips and
     * the service's work in between, which on a busy machine is what an event waited for before it could commit.
     * Everything else takes the general path ({@link #placeStepByStep}): a key already used (a replay, or a
     * request still in flight, which the claim waits for), a cart that does not price (its key may still replay a
     * stored response), and a promotion with a usage limit (its use is counted before anything commits).
     */
    public Uni<Placed> place(UUID tenantId, UUID userId, String idempotencyKey, CartRequest cart) {
        String requestHash = hash(cart);
        return database.inTenantPipelined(tenantId, config.inFlightWait(), (tx, started) -> Uni.combine().all()
                .unis(started, pricer.price(tx, tenantId, cart), tx.query("COMMIT").execute())
                .with((now, priced, committed) -> new Quote(now, priced)))
                .onItemOrFailure().transformToUni((quote, failure) -> {
                    if (failure != null || quote.priced().appliedPromotionLimited()) {
                        return placeStepByStep(tenantId, userId, idempotencyKey, requestHash, cart);
                    }
                    return createAtOnce(tenantId, userId, idempotencyKey, requestHash, quote)
                            .chain(placed -> placed != null ? Uni.createFrom().item(placed)
                                    : placeStepByStep(tenantId, userId, idempotencyKey, requestHash, cart));
                })
                .onFailure(PgErrors::isLockTimeout)
                .transform(e -> ApiProblem.conflict("idempotency-key-in-flight",
                        "A request with this Idempotency-Key is still being processed; retry later"));
    }

    private record Quote(OffsetDateTime now, PricedCart priced) {
    }

    /*
     * Claims the key (new, or its previous use expired) with the response already in it, and only if it did,
     * inserts the order and then its outbox event. No row comes back when the key was taken; then nothing was
     * written. A concurrent request holding the key makes the claim wait, up to the lock timeout.
     */
    private static final String CREATE = """
            WITH claimed AS (
                INSERT INTO idempotency_keys AS k (tenant_id, user_id, idempotency_key, request_hash, response_status,
                                                   response_body, expires_at)
                VALUES ($1, $2, $3, $4, 201, $5::text::jsonb, now() + make_interval(secs => $6))
                ON CONFLICT (tenant_id, user_id, idempotency_key) DO UPDATE
                    SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
                        response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at
                    WHERE k.expires_at < now()
                RETURNING true AS claimed),
            placed AS (
                INSERT INTO orders (id, tenant_id, user_id, status, items, promo_code, subtotal, discount, total, currency,
                                    version, created_at, updated_at)
                SELECT $7::uuid, $1::uuid, $2::uuid, $8::text, $9::jsonb, $10::text, $11::numeric, $12::numeric,
                       $13::numeric, $14::text, $15::bigint, $16::timestamptz, $16::timestamptz
                FROM claimed
                RETURNING id, version)
            INSERT INTO outbox (event_id, event_type, version, tenant_id, aggregate_type, aggregate_id, aggregate_version,
                                payload, traceparent)
            SELECT $17::uuid, 'order_created', 1, $1::uuid, 'order', placed.id, placed.version, $18::jsonb, $19::text
            FROM placed
            RETURNING event_id""";

    /** The new order's response, or null when the key was already taken (nothing was written then). */
    private Uni<Placed> createAtOnce(UUID tenantId, UUID userId, String key, String requestHash, Quote quote) {
        Order order = Order.pending(UUID.randomUUID(), userId, quote.priced(), quote.now());
        String body = toJson(order);
        OutboxEvent event = event("order_created", tenantId, order);
        Object[] parameters = { tenantId, userId, key, requestHash, body, config.idempotencyRetention().toSeconds(),
                order.id(), order.status(), Order.itemsJson(order.items()), order.promoCode(), order.subtotal(),
                order.discount(), order.total(), order.currency(), order.version(), order.createdAt(), UUID.randomUUID(),
                event.payload(), outbox.traceparent() };
        return database.inTenantPipelined(tenantId, config.inFlightWait(), (tx, started) -> {
            Uni<Boolean> created = tx.preparedQuery(CREATE).execute(Tuple.from(parameters))
                    .map(rows -> rows.iterator().hasNext());
            return Uni.combine().all().unis(started, created, tx.query("COMMIT").execute())
                    .with((now, inserted, committed) -> inserted ? new Placed(201, body) : null);
        });
    }

    /**
     * The general path: one transaction claims the key, prices the cart and, when the key was free, creates the
     * order (a limited promotion's use counted first); when the key was taken, it replays the stored response.
     */
    private Uni<Placed> placeStepByStep(UUID tenantId, UUID userId, String idempotencyKey, String requestHash,
            CartRequest cart) {
        return database.inTenantPipelined(tenantId, config.inFlightWait(), (tx, started) -> Uni.combine().all()
                .unis(started,
                        idempotencyKeys.claim(tx, tenantId, userId, idempotencyKey, requestHash, config.idempotencyRetention()),
                        // A cart that no longer prices still replays its key's stored response, so its problem waits.
                        pricer.price(tx, tenantId, cart).map(Priced::of).onFailure(ApiProblem.class)
                                .recoverWithItem(problem -> new Priced(null, (ApiProblem) problem)))
                .with((now, claimed, priced) -> new Claim(now, claimed, priced))
                .chain(claim -> claim.claimed()
                        ? create(tx, tenantId, userId, idempotencyKey, claim.now(), claim.priced().orThrow())
                        : replay(tx, tenantId, userId, idempotencyKey, requestHash)
                                .call(() -> database.commitWith(tx))));
    }

    private record Claim(OffsetDateTime now, boolean claimed, Priced priced) {
    }

    private record Priced(PricedCart cart, ApiProblem problem) {
        static Priced of(PricedCart cart) {
            return new Priced(cart, null);
        }

        PricedCart orThrow() {
            if (problem != null) {
                throw problem;
            }
            return cart;
        }
    }

    private Uni<Placed> create(SqlConnection tx, UUID tenantId, UUID userId, String key, OffsetDateTime now,
            PricedCart priced) {
        // Only a limited promotion needs its uses counted; counting every use would make its row a lock that
        // serializes all orders of the tenant.
        Uni<Void> promotionUse = priced.appliedPromotionLimited()
                ? promotions.consumeUse(tx, tenantId, priced.appliedPromotionId()).invoke(consumed -> {
                    if (!consumed) {
                        throw ApiProblem.conflict("promotion-exhausted",
                                "Promotion " + priced.promoCode() + " was just used up");
                    }
                }).replaceWithVoid()
                : Uni.createFrom().voidItem();
        return promotionUse.chain(() -> {
            Order order = Order.pending(UUID.randomUUID(), userId, priced, now);
            String body = toJson(order);
            return database.commitWith(tx,
                    orders.insert(tx, tenantId, order),
                    outbox.append(tx, event("order_created", tenantId, order)),
                    idempotencyKeys.complete(tx, tenantId, userId, key, 201, body))
                    .replaceWith(new Placed(201, body));
        });
    }

    private Uni<Placed> replay(SqlConnection tx, UUID tenantId, UUID userId, String key, String requestHash) {
        return idempotencyKeys.find(tx, tenantId, userId, key).map(stored -> {
            var original = stored.orElseThrow(() -> ApiProblem.conflict("idempotency-key-in-flight",
                    "A request with this Idempotency-Key is still being processed; retry later"));
            if (!original.requestHash().equals(requestHash)) {
                throw ApiProblem.unprocessable("idempotency-key-reused",
                        "This Idempotency-Key was already used with a different request body", List.of());
            }
            return new Placed(original.status(), original.body());
        });
    }

    public Uni<Order> get(UUID tenantId, UUID id, UUID ownerOrNull) {
        return database.inTenant(tenantId, tx -> orders.find(tx, tenantId, id, ownerOrNull))
                .map(order -> order.orElseThrow(() -> notFound(id)));
    }

    public Uni<OrderPage> list(UUID tenantId, UUID ownerOrNull, OrderStatus status, int page, int size) {
        return database.inTenant(tenantId,
                tx -> orders.list(tx, tenantId, ownerOrNull, status == null ? null : status.wire(), page, size));
    }

    /** Moves an order along the state machine; an illegal move is a 409 that changes nothing. */
    public Uni<Order> move(UUID tenantId, UUID id, UUID ownerOrNull, OrderStatus target) {
        return database.inTenant(tenantId, tx -> orders.findForUpdate(tx, tenantId, id, ownerOrNull)
                .map(found -> found.orElseThrow(() -> notFound(id)))
                .invoke(order -> {
                    OrderStatus current = OrderStatus.fromWire(order.status());
                    if (!current.canMoveTo(target)) {
                        throw ApiProblem.conflict("illegal-status-transition",
                                "An order that is " + current.wire() + " cannot become " + target.wire());
                    }
                })
                .chain(() -> orders.updateStatus(tx, tenantId, id, target))
                .call(order -> outbox.append(tx, event(target == OrderStatus.CANCELLED ? "order_cancelled" : "order_updated",
                        tenantId, order))));
    }

    /** A customer may cancel their own order while it is pending; staff also while it is confirmed. */
    public Uni<Order> cancel(UUID tenantId, UUID id, UUID ownerOrNull) {
        if (ownerOrNull == null) {
            return move(tenantId, id, null, OrderStatus.CANCELLED);
        }
        return database.inTenant(tenantId, tx -> orders.find(tx, tenantId, id, ownerOrNull))
                .map(found -> found.orElseThrow(() -> notFound(id)))
                .chain(order -> {
                    if (!OrderStatus.PENDING.wire().equals(order.status())) {
                        return Uni.createFrom().failure(ApiProblem.conflict("illegal-status-transition",
                                "Only a pending order can be cancelled by its customer; this one is " + order.status()));
                    }
                    return move(tenantId, id, ownerOrNull, OrderStatus.CANCELLED);
                });
    }

    private static OutboxEvent event(String type, UUID tenantId, Order order) {
        return new OutboxEvent(type, tenantId, "order", order.id(), order.version(), order.toEventPayload());
    }

    private String toJson(Order order) {
        try {
            return json.writeValueAsString(order);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Same key and same body means the same request; the body is hashed in its canonical JSON form. */
    private String hash(CartRequest cart) {
        String promoCode = cart.promoCode() == null || cart.promoCode().isBlank() ? null
                : cart.promoCode().trim().toUpperCase();
        try {
            return Sha256.hex(json.writeValueAsBytes(new CartRequest(cart.items(), promoCode)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiProblem notFound(UUID id) {
        return ApiProblem.notFound("Order " + id);
    }
}
