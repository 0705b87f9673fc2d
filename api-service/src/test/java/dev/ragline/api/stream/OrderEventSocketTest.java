package dev.ragline.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** WebSocket clients of /v1/ws/orders get the same order events as SSE clients, under the same rules. */
@QuarkusTest
class OrderEventSocketTest extends OrderStreamScenario {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1/ws/orders")
    URI endpoint;

    @Test
    void a_websocket_client_receives_its_tenants_order_events_and_nothing_of_another_tenant() throws Exception {
        Messages staff = new Messages();
        WebSocket socket = connect(TestTokens.of(tenantA, UUID.randomUUID(), "staff"), null, staff);
        try {
            await().atMost(DELIVERY).until(() -> staff.ofType("connected").size() == 1);
            String ofB = orders.publishCreated(tenantB, bob);
            String alices = orders.publishCreated(tenantA, alice);
            String bobs = orders.publishCreated(tenantA, bob);

            await().atMost(DELIVERY).until(() -> staff.orderEventIds().containsAll(List.of(alices, bobs)));
            assertThat(staff.orderEventIds()).containsExactlyInAnyOrder(alices, bobs).doesNotContain(ofB);
            assertThat(staff.orders()).allSatisfy(message -> {
                assertThat(message.path("event").asText()).isEqualTo("order_created");
                assertThat(message.path("id").asText()).matches("[A-Za-z0-9_-]{32,}");
            });
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_websocket_customer_receives_only_their_own_orders_and_resumes_with_last_event_id() throws Exception {
        String token = TestTokens.of(tenantA, alice, "customer");
        Messages first = new Messages();
        WebSocket socket = connect(token, null, first);
        await().atMost(DELIVERY).until(() -> first.ofType("connected").size() == 1);
        String bobs = orders.publishCreated(tenantA, bob);
        String alices = orders.publishCreated(tenantA, alice);
        await().atMost(DELIVERY).until(() -> first.orderEventIds().contains(alices));
        assertThat(first.orderEventIds()).containsExactly(alices).doesNotContain(bobs);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "away").get(10, TimeUnit.SECONDS);

        String missed = orders.publishCreated(tenantA, alice);
        orders.publishCreated(tenantA, bob);
        Messages again = new Messages();
        WebSocket resumed = connect(token, first.lastId(), again);
        try {
            await().atMost(DELIVERY).until(() -> again.orderEventIds().contains(missed));
            assertThat(again.orderEventIds()).containsExactly(missed);
        } finally {
            resumed.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_websocket_handshake_without_a_token_is_refused_with_401() {
        Throwable refused = catchThrowable(() -> connect(null, null, new Messages()));

        assertThat(handshakeStatus(refused)).isEqualTo(401);
    }

    @Test
    void a_websocket_handshake_with_an_invalid_token_is_refused_with_401() {
        Throwable refused = catchThrowable(() -> connect("eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl", null, new Messages()));

        assertThat(handshakeStatus(refused)).isEqualTo(401);
    }

    private WebSocket connect(String token, String lastEventId, Messages messages) throws Exception {
        StringBuilder query = new StringBuilder();
        if (token != null) {
            query.append("access_token=").append(token);
        }
        if (lastEventId != null) {
            query.append(query.isEmpty() ? "" : "&").append("last_event_id=").append(lastEventId);
        }
        URI uri = URI.create(endpoint.toString().replaceFirst("^http", "ws") + (query.isEmpty() ? "" : "?" + query));
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, messages)
                .get(20, TimeUnit.SECONDS);
    }

    /** The HTTP status with which the server refused the upgrade. */
    static int handshakeStatus(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
        }
        throw new AssertionError("The handshake did not fail with an HTTP status", failure);
    }

    /** Collects the JSON text messages of one socket. */
    static final class Messages implements WebSocket.Listener {

        private final List<JsonNode> received = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
            partial.append(text);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return CompletableFuture.completedFuture(null);
        }

        List<JsonNode> ofType(String event) {
            return received.stream().filter(message -> event.equals(message.path("event").asText())).toList();
        }

        List<JsonNode> orders() {
            return received.stream().filter(message -> message.has("data")).toList();
        }

        List<String> orderEventIds() {
            return orders().stream().map(message -> message.path("data").path("event_id").asText()).toList();
        }

        String lastId() {
            return received.getLast().path("id").asText();
        }
    }
}
