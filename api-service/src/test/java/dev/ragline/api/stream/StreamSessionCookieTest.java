package dev.ragline.api.stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A browser's EventSource cannot send an Authorization header: it opens the order stream with the
 * ragline_stream cookie that POST /v1/auth/stream-session sets, and that cookie opens nothing else.
 */
@QuarkusTest
class StreamSessionCookieTest extends OrderStreamScenario {

    @TestHTTPResource("/v1/events/orders")
    URI stream;

    @TestHTTPResource("/v1/ws/orders")
    URI socket;

    @Test
    void a_signed_in_user_gets_an_http_only_same_site_strict_stream_cookie() {
        Response response = openSession(TestTokens.of(tenantA, alice, "customer"));

        assertThat(response.statusCode()).isEqualTo(204);
        String setCookie = response.header("Set-Cookie");
        assertThat(setCookie).startsWith("ragline_stream=").contains("Path=/").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").containsPattern("Max-Age=(8\\d\\d|900)\\b");
    }

    @Test
    void the_stream_cookie_opens_the_order_stream_without_any_header() throws Exception {
        String cookie = cookieOf(openSession(TestTokens.of(tenantA, alice, "customer")));

        try (SseTestClient browser = SseTestClient.connect(stream, null, null, cookie)) {
            assertThat(browser.response().statusCode()).isEqualTo(200);
            String alices = orders.publishCreated(tenantA, alice);
            await().atMost(DELIVERY).until(() -> browser.eventIdsOfOrders().contains(alices));
        }
    }

    @Test
    void the_stream_cookie_also_opens_the_order_websocket() throws Exception {
        String cookie = cookieOf(openSession(TestTokens.of(tenantA, UUID.randomUUID(), "staff")));
        OrderEventSocketTest.Messages messages = new OrderEventSocketTest.Messages();

        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                .buildAsync(URI.create(socket.toString().replaceFirst("^http", "ws")), messages).get(20, TimeUnit.SECONDS);
        try {
            await().atMost(DELIVERY).until(() -> messages.ofType("connected").size() == 1);
            String bobs = orders.publishCreated(tenantA, bob);
            await().atMost(DELIVERY).until(() -> messages.orderEventIds().contains(bobs));
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void the_stream_cookie_is_refused_everywhere_but_the_streams() {
        String token = TestTokens.of(tenantA, alice, "customer");
        String cookie = cookieOf(openSession(token));
        String session = cookie.substring(cookie.indexOf('=') + 1);

        given().header("Cookie", cookie).get("/v1/orders").then().statusCode(401);
        given().header("Cookie", cookie).post("/v1/auth/stream-session").then().statusCode(401);
        // Nor does the session pass for an access token when sent as one: it has its own issuer and audience.
        given().auth().oauth2(session).get("/v1/orders").then().statusCode(401);
        given().auth().oauth2(session).accept("text/event-stream").get("/v1/events/orders").then().statusCode(401);
    }

    @Test
    void a_cookie_of_one_tenant_never_sees_another_tenants_events() throws Exception {
        String globexStaff = cookieOf(openSession(TestTokens.of(tenantB, UUID.randomUUID(), "staff")));

        try (SseTestClient browser = SseTestClient.connect(stream, null, null, globexStaff)) {
            String ofDemo = orders.publishCreated(tenantA, alice);
            String ofGlobex = orders.publishCreated(tenantB, bob);

            await().atMost(DELIVERY).until(() -> browser.eventIdsOfOrders().contains(ofGlobex));
            assertThat(browser.eventIdsOfOrders()).containsExactly(ofGlobex).doesNotContain(ofDemo);
        }
    }

    @Test
    void an_expired_cookie_is_refused_with_401_problem_json() {
        String expired = TestTokens.streamSession(tenantA, alice, "customer", Instant.now().minusSeconds(600).getEpochSecond());

        given().header("Cookie", "ragline_stream=" + expired).accept("text/event-stream").get("/v1/events/orders").then()
                .statusCode(401).contentType("application/problem+json");
        Throwable refused = catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", "ragline_stream=" + expired).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(socket.toString().replaceFirst("^http", "ws")), new OrderEventSocketTest.Messages())
                .get(20, TimeUnit.SECONDS));
        assertThat(OrderEventSocketTest.handshakeStatus(refused)).isEqualTo(401);
    }

    @Test
    void the_authorization_header_still_opens_the_stream_and_wins_over_a_cookie() throws Exception {
        String globexCookie = cookieOf(openSession(TestTokens.of(tenantB, UUID.randomUUID(), "staff")));

        try (SseTestClient client = SseTestClient.connect(stream, TestTokens.of(tenantA, UUID.randomUUID(), "staff"), null,
                globexCookie)) {
            String ofA = orders.publishCreated(tenantA, alice);
            String ofB = orders.publishCreated(tenantB, bob);
            await().atMost(DELIVERY).until(() -> client.eventIdsOfOrders().contains(ofA));
            assertThat(client.eventIdsOfOrders()).containsExactly(ofA).doesNotContain(ofB);
        }
    }

    @Test
    void signing_out_clears_the_cookie() {
        Response response = given().delete("/v1/auth/stream-session");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.header("Set-Cookie")).startsWith("ragline_stream=").contains("Max-Age=0");
    }

    private static Response openSession(String accessToken) {
        return given().auth().oauth2(accessToken).post("/v1/auth/stream-session");
    }

    /** What the browser sends back: {@code name=value}. */
    private static String cookieOf(Response response) {
        String setCookie = response.then().statusCode(204).extract().header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }
}
