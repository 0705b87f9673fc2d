package dev.ragline.e2e.frontdoor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.ragline.e2e.support.RaglineSystem;
import dev.ragline.e2e.support.Service;
import dev.ragline.e2e.support.ServiceInstance;
import io.restassured.specification.RequestSpecification;

/**
 * The four packaged services (api-service twice) behind nginx rendered from
 * deploy/local/nginx.conf.template, used the way a browser uses them: one origin, the stream cookie,
 * SSE and WebSocket through the proxy, and a replica that dies under it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrontDoorIT {

    private static RaglineSystem system;
    private static String customer;

    @BeforeAll
    static void start() {
        system = RaglineSystem.builder().replicas(Service.API, 2).demoData()
                // A heartbeat a second: frames that must cross the proxy while the stream is otherwise idle.
                .env(Service.API, "RAGLINE_ORDER_STREAM_HEARTBEAT_INTERVAL", "1s")
                .start();
        customer = system.login("demo", "customer@demo.test");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void each_route_reaches_its_own_service() throws Exception {
        String staff = system.login("demo", "staff@demo.test");
        String admin = system.login("demo", "admin@demo.test");

        assertRoute(frontDoor().auth().oauth2(customer).get("/v1/products?size=1").statusCode(), "/v1/products", Service.API);
        assertRoute(frontDoor().auth().oauth2(customer).get("/v1/chat/sessions/" + UUID.randomUUID()).statusCode(),
                "/v1/chat/sessions/", Service.LLM);
        assertRoute(frontDoor().auth().oauth2(admin).get("/api/v1/documents").statusCode(), "/api/v1/documents",
                Service.INGEST);
        assertRoute(frontDoor().auth().oauth2(admin).get("/v1/dlq").statusCode(), "/v1/dlq", Service.WORKER);
        frontDoor().auth().oauth2(staff).get("/v1/orders").then().statusCode(200);

        String page = frontDoor().get("/").then().statusCode(200).contentType("text/html").extract().asString();
        assertThat(page).containsIgnoringCase("<html");
        // A client-side route of the web client gets its index.html too.
        frontDoor().get("/orders/board").then().statusCode(200).contentType("text/html");
    }

    @Test
    void an_eventsource_with_the_stream_cookie_gets_heartbeats_and_a_new_order_promptly_through_the_proxy() throws Exception {
        String cookie = system.streamCookie(customer);
        try (SseLines stream = SseLines.open(system.frontDoor().resolve("/v1/events/orders"), cookie)) {
            assertThat(stream.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> !stream.matching(":connected").isEmpty());
            // Unbuffered: each one-second heartbeat arrives on its own, not in a burst at the end.
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.matching(":heartbeat").size() >= 3);
            List<SseLines.Line> beats = stream.matching(":heartbeat");
            assertThat(Duration.between(beats.get(0).at(), beats.get(2).at())).isGreaterThan(Duration.ofMillis(1200));

            String traceId = HexFormat.of().formatHex(randomBytes(16));
            String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
            Instant placed = Instant.now();
            String orderId = placeOrder(customer, traceparent);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> stream.matching("data:").stream().anyMatch(line -> line.text().contains(orderId)));
            SseLines.Line event = stream.matching("data:").stream().filter(line -> line.text().contains(orderId)).findFirst()
                    .orElseThrow();
            assertThat(Duration.between(placed, event.at())).isLessThan(Duration.ofSeconds(10));
            // The caller's trace context crossed the proxy: the order's event carries the same trace id.
            assertThat(event.text()).contains(traceId);
        }
    }

    @Test
    void a_websocket_upgrade_with_the_stream_cookie_works_through_the_proxy() throws Exception {
        String cookie = system.streamCookie(system.login("demo", "staff@demo.test"));
        List<String> messages = new CopyOnWriteArrayList<>();
        URI uri = URI.create(system.frontDoor().toString().replaceFirst("^http", "ws") + "/v1/ws/orders");

        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence text, boolean last) {
                        messages.add(text.toString());
                        ws.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(20, TimeUnit.SECONDS);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> messages.stream().anyMatch(m -> m.contains("\"connected\"")));
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void x_forwarded_headers_reach_the_service_so_its_links_point_at_the_front_door() {
        String admin = system.login("demo", "admin@demo.test");

        String location = frontDoor().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("source", "file_upload", "files",
                        List.of(Map.of("filename", "front-door.txt", "content", "Deliveries leave at noon."))))
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");

        assertThat(location).startsWith(system.frontDoor() + "/api/v1/jobs/");
    }

    @Test
    void the_rendered_config_keeps_idle_streams_open_and_unbuffered() throws IOException {
        String config = Files.readString(system.frontDoorProcess().config());

        assertThat(config).contains("proxy_buffering off;").contains("proxy_read_timeout 24h;")
                .doesNotContainPattern("proxy_read_timeout\\s+\\d+s;");
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it kills a replica
    void both_replicas_get_traffic_and_killing_one_leaves_the_front_door_serving_from_the_other() throws IOException {
        String token = system.login("demo", "customer@demo.test");
        List<ServiceInstance> api = system.instances(Service.API);

        int before = logLines().size();
        for (int i = 0; i < 20; i++) {
            given().baseUri(system.frontDoor().toString()).auth().oauth2(token).get("/v1/products?size=1").then()
                    .statusCode(200);
        }
        assertThat(upstreamsOfProductReads(before, 20)).containsOnly(api.get(0).address(), api.get(1).address())
                .hasSize(2);

        api.get(0).kill(); // SIGKILL: no goodbye, the port simply refuses

        int afterKill = logLines().size();
        for (int i = 0; i < 20; i++) {
            given().baseUri(system.frontDoor().toString()).auth().oauth2(token).get("/v1/products?size=1").then()
                    .statusCode(200);
        }
        // The first request after the kill may try the dead one and be passed on (its line names both); then
        // nginx skips the dead one for fail_timeout, and every request lands on the survivor.
        await().atMost(Duration.ofSeconds(5)).until(() -> productReads(afterKill).size() >= 20);
        List<String> after = productReads(afterKill);
        assertThat(after).hasSize(20).allSatisfy(line -> assertThat(upstreams(line).getLast()).isEqualTo(api.get(1).address()));
        assertThat(after.subList(10, 20)).allSatisfy(line -> assertThat(upstreams(line)).containsOnly(api.get(1).address()));
    }

    private static List<String> logLines() throws IOException {
        return Files.readAllLines(system.frontDoorProcess().accessLog());
    }

    /** The access log lines of product reads written after line {@code from}. */
    private static List<String> productReads(int from) throws IOException {
        List<String> lines = logLines();
        return lines.subList(from, lines.size()).stream().filter(line -> line.contains("\"GET /v1/products\"")).toList();
    }

    private static Set<String> upstreamsOfProductReads(int from, int expected) throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> productReads(from).size() >= expected);
        List<String> reads = productReads(from);
        assertThat(reads).hasSize(expected);
        return reads.stream().flatMap(line -> upstreams(line).stream()).collect(Collectors.toSet());
    }

    /** {@code upstream=a, b} when nginx tried a and then b. */
    private static List<String> upstreams(String line) {
        String value = line.substring(line.indexOf("upstream=") + "upstream=".length());
        value = value.substring(0, value.indexOf(" traceparent="));
        return List.of(value.split(",\\s*"));
    }

    static String placeOrder(String token, String traceparent) {
        String productId = frontDoor().auth().oauth2(token).get("/v1/products?size=1").then().statusCode(200).extract()
                .path("items[0].id");
        return frontDoor().auth().oauth2(token).header("traceparent", traceparent)
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType("application/json")
                .body(Map.of("items", List.of(Map.of("product_id", productId, "quantity", 1))))
                .post("/v1/orders").then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification frontDoor() {
        return given().baseUri(system.frontDoor().toString());
    }

    /** The request went through the front door and the access log names the instance of {@code service} that served it. */
    private static void assertRoute(int status, String path, Service service) throws IOException {
        assertThat(status).as("%s through the front door", path).isLessThan(500);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> served = Files.readAllLines(system.frontDoorProcess().accessLog()).stream()
                    .filter(line -> line.contains(" " + path)).toList();
            assertThat(served).isNotEmpty();
            assertThat(system.instances(service)).extracting(ServiceInstance::address)
                    .contains(upstreams(served.getLast()).getLast());
        });
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
