package dev.ragline.llm.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Plays api-service's documented endpoints (docs: API-CONTRACT, /v1/carts/price, /v1/orders, /v1/products)
 * over real HTTP, so the tools' production client runs unchanged against it. It trusts the bearer token's
 * claims without verifying the signature (llm-service already verified it) and records what it received.
 */
public final class FakeApiService {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static FakeApiService instance;

    public record Product(UUID tenantId, UUID id, String sku, String name, BigDecimal price, String category,
            List<String> tags, boolean available) {
    }

    public record Received(String method, String path, String query, String authorization, String idempotencyKey,
            JsonNode body) {
    }

    private final HttpServer server;
    private final Map<UUID, Product> products = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> ordersByKey = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<UUID, Boolean> slowPricing = new ConcurrentHashMap<>();
    private final AtomicInteger pricingsAbandoned = new AtomicInteger();

    private FakeApiService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/carts/price", exchange -> handle(exchange, this::price));
        server.createContext("/v1/orders", exchange -> handle(exchange, this::order));
        server.createContext("/v1/products", exchange -> handle(exchange, this::products));
        server.start();
    }

    public static synchronized FakeApiService instance() {
        if (instance == null) {
            try {
                instance = new FakeApiService();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void add(Product product) {
        products.put(product.id(), product);
    }

    /**
     * From now on, pricing a cart of this tenant takes about ten seconds: the status comes at once, then the body
     * trickles in as JSON whitespace before the priced cart, so the stand-in notices as soon as the caller closes
     * the connection (counted by {@link #pricingsAbandoned()}).
     */
    public void priceSlowlyFor(UUID tenantId) {
        slowPricing.put(tenantId, true);
    }

    /** Slow pricings whose caller closed the connection before the answer was complete. */
    public int pricingsAbandoned() {
        return pricingsAbandoned.get();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> ordersPlacedBy(String userId) {
        return received.stream().filter(request -> request.path().equals("/v1/orders"))
                .filter(request -> userId.equals(StubHttp.bearerClaims(request.authorization()).path("user_id").asText()))
                .toList();
    }

    private interface Handler {
        Answer handle(JsonNode claims, Received request);
    }

    private record Answer(int status, JsonNode body) {
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getQuery(),
                    authorization, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    bytes.length == 0 ? MAPPER.nullNode() : MAPPER.readTree(bytes));
            received.add(request);
            JsonNode claims = StubHttp.bearerClaims(authorization);
            Answer answer = claims == null ? problem(401, "unauthorized", "Missing bearer token")
                    : handler.handle(claims, request);
            if (claims != null && request.path().equals("/v1/carts/price")
                    && slowPricing.containsKey(UUID.fromString(claims.path("tenant_id").asText()))) {
                trickle(exchange, answer);
            } else {
                StubHttp.reply(exchange, answer.status(), answer.body());
            }
        }
    }

    private void trickle(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), 0);
        OutputStream body = exchange.getResponseBody();
        try {
            for (int i = 0; i < 100; i++) {
                body.write(' ');
                body.flush();
                Thread.sleep(100);
            }
            body.write(MAPPER.writeValueAsString(answer.body()).getBytes(StandardCharsets.UTF_8));
            body.close();
        } catch (IOException closedByCaller) {
            pricingsAbandoned.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Answer price(JsonNode claims, Received request) {
        UUID tenant = UUID.fromString(claims.path("tenant_id").asText());
        ObjectNode priced = MAPPER.createObjectNode();
        ArrayNode lines = priced.putArray("lines");
        BigDecimal subtotal = BigDecimal.ZERO;
        for (JsonNode item : request.body().path("items")) {
            Product product = products.get(UUID.fromString(item.path("product_id").asText()));
            int quantity = item.path("quantity").asInt();
            if (product == null || !product.tenantId().equals(tenant) || !product.available()) {
                return problem(422, "unknown-product", "Product " + item.path("product_id").asText()
                        + " is not on this tenant's menu");
            }
            if (quantity < 1 || quantity > 99) {
                return problem(422, "invalid-quantity", "quantity must be between 1 and 99");
            }
            BigDecimal lineTotal = product.price().multiply(BigDecimal.valueOf(quantity));
            subtotal = subtotal.add(lineTotal);
            lines.addObject().put("product_id", product.id().toString()).put("sku", product.sku())
                    .put("name", product.name()).put("quantity", quantity).put("unit_price", product.price())
                    .put("line_total", lineTotal);
        }
        String code = request.body().path("promo_code").asText(null);
        BigDecimal discount = BigDecimal.ZERO.setScale(2);
        boolean applied = false;
        String rejection = null;
        if ("WELCOME10".equals(code)) {
            if (subtotal.compareTo(new BigDecimal("20.00")) >= 0) {
                discount = subtotal.multiply(new BigDecimal("0.10")).setScale(2, RoundingMode.HALF_EVEN);
                applied = true;
            } else {
                rejection = "WELCOME10 needs a subtotal of at least 20.00";
            }
        } else if (code != null) {
            rejection = "Unknown promotion code";
        }
        priced.put("subtotal", subtotal.setScale(2)).put("discount", discount)
                .put("total", subtotal.subtract(discount).setScale(2)).put("currency", "EUR")
                .put("promo_code", code).put("promo_applied", applied).put("promo_rejection", rejection);
        return new Answer(200, priced);
    }

    private Answer order(JsonNode claims, Received request) {
        if (request.idempotencyKey() == null) {
            return problem(400, "idempotency-key-required", "Idempotency-Key header is required");
        }
        ObjectNode replay = ordersByKey.get(request.idempotencyKey());
        if (replay != null) {
            return new Answer(201, replay);
        }
        Answer priced = price(claims, request);
        if (priced.status() != 200) {
            return priced;
        }
        ObjectNode order = MAPPER.createObjectNode().put("id", UUID.randomUUID().toString())
                .put("user_id", claims.path("user_id").asText()).put("status", "pending");
        order.set("items", priced.body().path("lines"));
        order.put("promo_code", priced.body().path("promo_applied").asBoolean() ? request.body().path("promo_code")
                .asText() : null);
        for (String field : List.of("subtotal", "discount", "total", "currency")) {
            order.set(field, priced.body().path(field));
        }
        order.put("created_at", Instant.now().toString()).put("updated_at", Instant.now().toString());
        ordersByKey.put(request.idempotencyKey(), order);
        return new Answer(201, order);
    }

    private Answer products(JsonNode claims, Received request) {
        UUID tenant = UUID.fromString(claims.path("tenant_id").asText());
        List<Product> mine = new ArrayList<>(products.values().stream().filter(p -> p.tenantId().equals(tenant))
                .sorted((a, b) -> a.id().compareTo(b.id())).toList());
        Map<String, String> params = params(request.query());
        int page = Integer.parseInt(params.getOrDefault("page", "0"));
        int size = Integer.parseInt(params.getOrDefault("size", "20"));
        ObjectNode body = MAPPER.createObjectNode().put("page", page).put("size", size).put("total", mine.size());
        ArrayNode items = body.putArray("items");
        mine.stream().skip((long) page * size).limit(size).forEach(product -> {
            ObjectNode node = items.addObject().put("id", product.id().toString()).put("sku", product.sku())
                    .put("name", product.name()).put("description", product.name() + " from the fake kitchen")
                    .put("price", product.price()).put("currency", "EUR").put("category", product.category())
                    .put("available", product.available());
            product.tags().forEach(node.putArray("tags")::add);
        });
        return new Answer(200, body);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new java.util.HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] parts = pair.split("=", 2);
                params.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        return params;
    }

    private static Answer problem(int status, String type, String detail) {
        return new Answer(status, MAPPER.createObjectNode().put("type", "https://ragline.dev/problems/" + type)
                .put("title", "Refused").put("status", status).put("detail", detail));
    }
}
