package dev.ragline.llm.chat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ragline.llm.catalogue.service.MenuRetriever;
import dev.ragline.llm.support.Menus;
import dev.ragline.llm.support.SseClient;
import dev.ragline.llm.support.SseClient.Reply;
import dev.ragline.llm.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Chat sessions belong to one tenant and user; bad requests answer problem+json. */
@QuarkusTest
class ChatSessionsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    MenuRetriever retriever;

    SseClient chat;
    Tokens.User customer;
    UUID tenant;

    @BeforeEach
    void setUp() {
        chat = new SseClient(base);
        tenant = UUID.randomUUID();
        Menus.seed(tenant, retriever);
        customer = Tokens.customerOf(tenant);
    }

    @Test
    void a_customer_lists_and_reads_their_session_with_its_messages_and_tool_calls() {
        Reply reply = chat.send(customer.token(), null, "Show me the desserts");
        UUID session = reply.sessionId();

        given().auth().oauth2(customer.token()).get("/v1/chat/sessions").then().statusCode(200)
                .body("items.id", hasItem(session.toString()));
        given().auth().oauth2(customer.token()).get("/v1/chat/sessions/" + session).then().statusCode(200)
                .body("session.turns", equalTo(1))
                .body("messages.role", org.hamcrest.Matchers.contains("user", "tool", "assistant"))
                .body("messages[1].tool_name", equalTo("retrieve_menu"))
                .body("messages[1].result.items.name", hasItem("Tiramisu"));
    }

    @Test
    void another_user_of_the_same_tenant_cannot_see_or_continue_the_session() {
        UUID session = chat.send(customer.token(), null, "Show me the desserts").sessionId();
        Tokens.User neighbour = Tokens.customerOf(tenant);

        given().auth().oauth2(neighbour.token()).get("/v1/chat/sessions/" + session).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(neighbour.token()).get("/v1/chat/sessions").then().statusCode(200)
                .body("items.id", not(hasItem(session.toString())));
        assertThat(chat.send(neighbour.token(), session, "Yes, confirm").status()).isEqualTo(404);
    }

    @Test
    void a_client_on_http_1_1_continues_its_session_and_a_stranger_cannot() {
        UUID session = chat.send(customer.token(), null, "Show me the desserts").sessionId();
        String body = "{\"session_id\":\"" + session + "\",\"message\":\"And something vegan?\"}";

        String events = given().auth().oauth2(customer.token()).contentType("application/json")
                .accept("text/event-stream").body(body).post("/v1/chat").then().statusCode(200).extract().asString();
        assertThat(events).containsPattern("event: ?done\ndata: ?\\{[^\n]*\"turn\":2");
        given().auth().oauth2(Tokens.customerOf(tenant).token()).contentType("application/json")
                .accept("text/event-stream").body(body).post("/v1/chat").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void another_tenants_session_answers_like_a_missing_one() {
        UUID session = chat.send(customer.token(), null, "Show me the desserts").sessionId();
        Tokens.User outsider = Tokens.customerOf(UUID.randomUUID());

        String missing = given().auth().oauth2(outsider.token()).get("/v1/chat/sessions/" + UUID.randomUUID())
                .then().statusCode(404).extract().path("type");
        given().auth().oauth2(outsider.token()).get("/v1/chat/sessions/" + session).then().statusCode(404)
                .body("type", equalTo(missing));
    }

    @Test
    void a_deleted_session_is_gone() {
        UUID session = chat.send(customer.token(), null, "Show me the desserts").sessionId();

        given().auth().oauth2(customer.token()).delete("/v1/chat/sessions/" + session).then().statusCode(204);
        given().auth().oauth2(customer.token()).get("/v1/chat/sessions/" + session).then().statusCode(404);
        given().auth().oauth2(customer.token()).delete("/v1/chat/sessions/" + session).then().statusCode(404);
    }

    @Test
    void a_token_whose_tenant_was_altered_after_its_genuine_form_was_accepted_is_refused() {
        given().auth().oauth2(customer.token()).get("/v1/chat/sessions").then().statusCode(200);
        String[] parts = customer.token().split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(tenant.toString(), UUID.randomUUID().toString());
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        given().auth().oauth2(altered).get("/v1/chat/sessions").then().statusCode(401);
        given().auth().oauth2(altered).contentType("application/json").body("{\"message\":\"hi\"}").post("/v1/chat")
                .then().statusCode(401);
        given().auth().oauth2(customer.token()).get("/v1/chat/sessions").then().statusCode(200);
    }

    @Test
    void an_expired_token_is_refused() {
        given().auth().oauth2(Tokens.expiredCustomerOf(tenant)).get("/v1/chat/sessions").then().statusCode(401);
    }

    @Test
    void chatting_needs_a_token_and_a_message() {
        given().contentType("application/json").body("{\"message\":\"hi\"}").post("/v1/chat").then().statusCode(401);
        given().auth().oauth2(customer.token()).contentType("application/json").body("{\"message\":\"  \"}")
                .post("/v1/chat").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://ragline.dev/problems/chat-message-required"));
        given().auth().oauth2(customer.token()).contentType("application/json").body("{\"message\":")
                .post("/v1/chat").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(customer.token()).contentType("application/json")
                .body("{\"message\":\"" + "pizza ".repeat(700) + "\"}").post("/v1/chat").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://ragline.dev/problems/chat-message-too-long"));
    }

    @Test
    void a_chat_body_far_beyond_any_valid_message_is_refused_as_too_large() {
        given().auth().oauth2(customer.token()).contentType("application/json")
                .body("{\"message\":\"" + "x".repeat(70_000) + "\"}").post("/v1/chat").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://ragline.dev/problems/chat-body-too-large"));
    }
}
