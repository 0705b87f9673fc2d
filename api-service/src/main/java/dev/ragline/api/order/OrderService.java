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
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/** Orders: idempotent creation, the status state machine, and an outbox event for every change. */
@ApplicationScoped
public class OrderService {

    private final TenantDatabase database;
    private final OrderRepository orders;
    private final IdempotencyKeys idempotencyKeys;
    private final CartPricer pricer;
    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final OrderConfig config;

    public OrderService(TenantDatabase database, OrderRepository orders, IdempotencyKeys idempotencyKeys, CartPricer pricer,
            OutboxWriter outbox, ObjectMapper json, OrderConfig config) {
        this.database = database;
        this.orders = orders;
        this.idempotencyKeys = idempotencyKeys;
        this.pricer = pricer;
        this.outbox = outbox;
        this.json = json;
        this.config = config;
    }

    /** The response to an order request: a new order, or the replay of the one this key created. */
    public record Placed(int status, String body) {
    }

    /**
     * An order takes two round trips, and its write transaction only one. (1) The cart is priced in a read-only
     * transaction (BEGIN, tenant binding, products and promotion, COMMIT, pipelined). (2) BEGIN, the binding, one
     * statement ({@link OrderRepository#create}) that claims the key and, if it was free, counts a limited
     * promotion's use and inserts the order, its outbox event and the key's response, then COMMIT, pipelined. So
     * the write transaction spans one round trip to PostgreSQL, not the service's work between statements, which
     * on a busy machine is what an event waited for before it could commit. Every request takes this path: a key
     * still in flight makes the claim wait for it; a key already used (no claim) replays its stored response; a
     * cart that does not price claims the key all the same (a stored response still replays) and rolls back.
     */
    public Uni<Placed> place(UUID tenantId, UUID userId, String idempotencyKey, CartRequest cart) {
        String requestHash = hash(cart);
        return quote(tenantId, cart)
                .chain(quote -> create(tenantId, userId, idempotencyKey, requestHash, quote))
                .chain(placed -> placed != null ? Uni.createFrom().item(placed)
                        : replay(tenantId, userId, idempotencyKey, requestHash))
                .onFailure(PgErrors::isLockTimeout)
                .transform(e -> ApiProblem.conflict("idempotency-key-in-flight",
                        "A request with this Idempotency-Key is still being processed; retry later"))
                .onFailure(OrderService::isPromotionExhausted)
                .transform(e -> ApiProblem.conflict("promotion-exhausted",
                        "Promotion " + cart.promoCode().trim().toUpperCase() + " was just used up"));
    }

    /** A priced cart, or the problem why it does not price; {@code now} is the time the order is created at. */
    private record Quote(OffsetDateTime now, PricedCart cart, ApiProblem problem) {
    }

    private Uni<Quote> quote(UUID tenantId, CartRequest cart) {
        return database.inTenantPipelined(tenantId, config.inFlightWait(), (tx, started) -> {
            Uni<Quote> priced = pricer.price(tx, tenantId, cart).map(c -> new Quote(null, c, null))
                    .onFailure(ApiProblem.class).recoverWithItem(problem -> new Quote(null, null, (ApiProblem) problem));
            return Uni.combine().all().unis(started, priced, tx.query("COMMIT").execute())
                    .with((now, quote, committed) -> new Quote(now, quote.cart(), quote.problem()));
        });
    }

    /** The new order's response; null when the key was already taken (nothing was written then). */
    private Uni<Placed> create(UUID tenantId, UUID userId, String key, String requestHash, Quote quote) {
        PricedCart priced = quote.cart();
        Order order = priced == null ? null : Order.pending(UUID.randomUUID(), userId, priced, quote.now());
        String body = order == null ? null : toJson(order);
        // Only a limited promotion needs its uses counted; counting every use would make its row a lock that
        // serializes all orders of the tenant.
        UUID limitedPromotion = priced != null && priced.appliedPromotionLimited() ? priced.appliedPromotionId() : null;
        var request = new OrderRepository.NewOrder(userId, key, requestHash, config.idempotencyRetention(), order, body,
                limitedPromotion, outbox.traceparent());
        return database.inTenantPipelined(tenantId, config.inFlightWait(), (tx, started) -> Uni.combine().all()
                .unis(started, orders.create(tx, tenantId, request), tx.query(order != null ? "COMMIT" : "ROLLBACK").execute())
                .with((now, claimed, ended) -> claimed))
                .map(claimed -> {
                    if (!claimed) {
                        return null;
                    }
                    if (order == null) {
                        throw quote.problem();
                    }
                    return new Placed(201, body);
                });
    }

    private Uni<Placed> replay(UUID tenantId, UUID userId, String key, String requestHash) {
        return database.inTenant(tenantId, tx -> idempotencyKeys.find(tx, tenantId, userId, key)).map(stored -> {
            var original = stored.orElseThrow(() -> ApiProblem.conflict("idempotency-key-in-flight",
                    "A request with this Idempotency-Key is still being processed; retry later"));
            if (!original.requestHash().equals(requestHash)) {
                throw ApiProblem.unprocessable("idempotency-key-reused",
                        "This Idempotency-Key was already used with a different request body", List.of());
            }
            return new Placed(original.status(), original.body());
        });
    }

    private static boolean isPromotionExhausted(Throwable failure) {
        return failure instanceof PgException pg && OrderRepository.REJECTED.equals(pg.getSqlState())
                && "promotion-exhausted".equals(pg.getErrorMessage());
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
