package dev.ragline.worker.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tenant's webhook endpoint on a real local HTTP server: records every POST and answers 204, or
 * 500 for the event ids it is told to refuse (or for everything while it is "down").
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Delivery(String eventId, String eventType, String signature, String body) {
    }

    private final HttpServer server;
    private final List<Delivery> accepted = new CopyOnWriteArrayList<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean down;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/orders", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/orders";
    }

    public void refuse(String eventId) {
        refused.add(eventId);
    }

    public void acceptEverything() {
        refused.clear();
        down = false;
    }

    public void goDown() {
        down = true;
    }

    public List<Delivery> accepted() {
        return accepted;
    }

    public List<Delivery> acceptedFor(String eventId) {
        return accepted.stream().filter(d -> eventId.equals(d.eventId())).toList();
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String eventId = exchange.getRequestHeaders().getFirst("X-Ragline-Event-Id");
        if (down || refused.contains(eventId)) {
            exchange.sendResponseHeaders(500, -1);
        } else {
            accepted.add(new Delivery(eventId, exchange.getRequestHeaders().getFirst("X-Ragline-Event-Type"),
                    exchange.getRequestHeaders().getFirst("X-Ragline-Signature"), body));
            exchange.sendResponseHeaders(204, -1);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
