package dev.ragline.api.pricing;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.api.catalog.Product;
import dev.ragline.api.catalog.ProductRepository;
import dev.ragline.api.common.ApiProblem;
import dev.ragline.api.common.Money;
import dev.ragline.api.common.Problem.FieldError;
import dev.ragline.api.common.TenantDatabase;
import dev.ragline.api.promotion.Promotion;
import dev.ragline.api.promotion.PromotionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Prices a cart from the current catalogue and applies a promotion code when its conditions hold.
 * Orders use exactly this code, so an order costs what the cart preview said.
 */
@ApplicationScoped
public class CartPricer {

    private final TenantDatabase database;
    private final ProductRepository products;
    private final PromotionRepository promotions;

    public CartPricer(TenantDatabase database, ProductRepository products, PromotionRepository promotions) {
        this.database = database;
        this.products = products;
        this.promotions = promotions;
    }

    /** A price preview in its own transaction. */
    public Uni<PricedCart> quote(UUID tenantId, CartRequest cart) {
        return database.inTenant(tenantId, tx -> price(tx, tenantId, cart));
    }

    public Uni<PricedCart> price(SqlConnection tx, UUID tenantId, CartRequest cart) {
        Set<UUID> ids = cart.items().stream().map(CartRequest.Item::productId).collect(Collectors.toSet());
        if (cart.promoCode() == null || cart.promoCode().isBlank()) {
            return products.findAll(tx, tenantId, ids).map(found -> withoutPromotion(lines(cart, found), null, null));
        }
        // Both lookups go out at once: one round trip instead of two.
        return Uni.combine().all()
                .unis(products.findAll(tx, tenantId, ids), promotions.findByCode(tx, tenantId, cart.promoCode().trim()))
                .with((found, promotion) -> applying(lines(cart, found), cart.promoCode().trim().toUpperCase(), promotion));
    }

    private record Priced(List<PricedCart.Line> lines, List<String> categories, BigDecimal subtotal, String currency) {
    }

    private static Priced lines(CartRequest cart, List<Product> found) {
        Map<UUID, Product> catalogue = found.stream().collect(Collectors.toMap(Product::id, Function.identity()));
        List<FieldError> errors = new ArrayList<>();
        List<PricedCart.Line> lines = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        Set<String> currencies = new HashSet<>();
        BigDecimal subtotal = Money.ZERO;
        for (int i = 0; i < cart.items().size(); i++) {
            CartRequest.Item item = cart.items().get(i);
            String field = "items[" + i + "].product_id";
            Product product = catalogue.get(item.productId());
            if (!seen.add(item.productId())) {
                errors.add(new FieldError(field, "product " + item.productId() + " is listed twice; combine the quantities"));
            } else if (product == null) {
                // Another tenant's product is indistinguishable from a missing one.
                errors.add(new FieldError(field, "product " + item.productId() + " does not exist"));
            } else if (!product.available()) {
                errors.add(new FieldError(field, "product " + item.productId() + " (" + product.name() + ") is not available"));
            } else {
                BigDecimal lineTotal = Money.of(product.price().multiply(BigDecimal.valueOf(item.quantity())));
                lines.add(new PricedCart.Line(product.id(), product.sku(), product.name(), item.quantity(), product.price(),
                        lineTotal));
                categories.add(product.category());
                currencies.add(product.currency());
                subtotal = subtotal.add(lineTotal);
            }
        }
        if (errors.isEmpty() && currencies.size() > 1) {
            errors.add(new FieldError("items", "products are priced in different currencies " + currencies));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.unprocessable("invalid-cart-item", "Some items cannot be ordered", errors);
        }
        return new Priced(lines, categories, subtotal, currencies.iterator().next());
    }

    private static PricedCart applying(Priced priced, String code, Optional<Promotion> found) {
        if (found.isEmpty()) {
            return withoutPromotion(priced, code, "unknown promotion code");
        }
        Promotion promotion = found.get();
        OffsetDateTime now = OffsetDateTime.now();
        if (!promotion.active()) {
            return withoutPromotion(priced, code, "promotion is not active");
        }
        if (promotion.validFrom() != null && now.isBefore(promotion.validFrom())) {
            return withoutPromotion(priced, code, "promotion starts at " + promotion.validFrom());
        }
        if (promotion.validUntil() != null && !now.isBefore(promotion.validUntil())) {
            return withoutPromotion(priced, code, "promotion expired at " + promotion.validUntil());
        }
        if (promotion.usageLimit() != null && promotion.usedCount() >= promotion.usageLimit()) {
            return withoutPromotion(priced, code, "promotion usage limit reached");
        }
        if (priced.subtotal().compareTo(promotion.minSubtotal()) < 0) {
            return withoutPromotion(priced, code, "subtotal is below the minimum of " + promotion.minSubtotal());
        }
        BigDecimal eligible = Money.ZERO;
        for (int i = 0; i < priced.lines().size(); i++) {
            if (promotion.category() == null || promotion.category().equals(priced.categories().get(i))) {
                eligible = eligible.add(priced.lines().get(i).lineTotal());
            }
        }
        if (eligible.signum() == 0) {
            return withoutPromotion(priced, code, "no items of category " + promotion.category() + " in the cart");
        }
        BigDecimal discount = Promotion.PERCENT.equals(promotion.kind())
                ? Money.of(eligible.multiply(promotion.amount()).movePointLeft(2))
                : promotion.amount().min(eligible);
        return new PricedCart(priced.lines(), priced.subtotal(), discount, priced.subtotal().subtract(discount),
                priced.currency(),
                code, true, null, promotion.id(), promotion.usageLimit() != null);
    }

    private static PricedCart withoutPromotion(Priced priced, String code, String rejection) {
        return new PricedCart(priced.lines(), priced.subtotal(), Money.ZERO, priced.subtotal(), priced.currency(), code, false,
                rejection, null, false);
    }
}
