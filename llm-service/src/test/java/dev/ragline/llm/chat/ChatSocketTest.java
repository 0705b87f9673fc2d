package dev.ragline.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;
import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.llm.catalogue.service.MenuRetriever;
import dev.ragline.llm.support.Menus;
import dev.ragline.llm.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The WebSocket carries the same chat events as the SSE stream. */
@QuarkusTest
class ChatSocketTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource("/v1/chat/ws")
    URI socket;

    @Inject
    MenuRetriever retriever;

    @ClientEndpoint
    public static class Frames {

        final List<JsonNode> received = new CopyOnWriteArrayList<>();

        @OnMessage
        public void frame(String text) throws Exception {
            received.add(MAPPER.readTree(text));
        }

        List<String> types() {
            return received.stream().map(frame -> frame.path("type").asText()).toList();
        }
    }

    @Test
    void a_customer_chats_over_the_websocket_and_gets_the_same_events() throws Exception {
        UUID tenant = UUID.randomUUID();
        Menus.seed(tenant, retriever);
        Tokens.User customer = Tokens.customerOf(tenant);
        Frames frames = new Frames();
        URI uri = URI.create(socket.toString().replaceFirst("^http", "ws") + "?access_token=" + customer.token());

        try (Session session = ContainerProvider.getWebSocketContainer().connectToServer(frames, uri)) {
            session.getBasicRemote().sendText("{\"message\": \"Any vegan dishes?\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> frames.types().contains("done"));
        }

        assertThat(frames.types().getFirst()).isEqualTo("session");
        assertThat(frames.types()).contains("tool_call", "tool_result", "token");
        JsonNode result = frames.received.stream().filter(frame -> frame.path("type").asText().equals("tool_result"))
                .findFirst().orElseThrow().path("data").path("result");
        assertThat(result.path("items").findValuesAsText("name")).contains("Vegan Buddha Bowl");
    }

    @Test
    void a_socket_without_a_valid_token_is_closed() throws Exception {
        Frames frames = new Frames();
        URI uri = URI.create(socket.toString().replaceFirst("^http", "ws") + "?access_token=not-a-token");

        Session session = ContainerProvider.getWebSocketContainer().connectToServer(frames, uri);

        await().atMost(Duration.ofSeconds(10)).until(() -> !session.isOpen());
        assertThat(frames.received).isEmpty();
    }
}
