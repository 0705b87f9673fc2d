package dev.ragline.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.ragline.llm.support.SseClient;
import dev.ragline.llm.support.Tokens;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/** The packaged llm-service, started as its own process, serves its operational endpoints. */
@QuarkusIntegrationTest
class ServiceEndpointsIT {

    @Test
    void the_packaged_service_is_live_and_ready() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheus_scrapes_jvm_and_http_metrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void the_packaged_service_answers_a_chat_with_the_in_process_embedding_model() {
        SseClient chat = new SseClient(URI.create("http://localhost:" + RestAssured.port));

        SseClient.Reply reply = chat.send(Tokens.customerOf(UUID.randomUUID()).token(), null, "Show me the desserts");

        assertThat(reply.toolsCalled()).containsExactly("retrieve_menu");
        assertThat(reply.toolResult("retrieve_menu").path("outcome").asText()).isEqualTo("ok");
        assertThat(reply.last().type()).isEqualTo("done");
    }

    @Test
    void the_openapi_document_is_published() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("RAGline llm-service"));
    }
}
