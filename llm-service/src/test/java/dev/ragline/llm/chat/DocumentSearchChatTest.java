package dev.ragline.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ragline.contracts.EventSchemas;
import dev.ragline.llm.support.ChatToolEvents;
import dev.ragline.llm.support.FakeApiServiceResource;
import dev.ragline.llm.support.FakeIngestService;
import dev.ragline.llm.support.FakeIngestServiceResource;
import dev.ragline.llm.support.RestaurantChat;
import dev.ragline.llm.support.SseClient.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Questions answered from the tenant's Rake documents through ingest-service search (offline responder). */
@QuarkusTest
@QuarkusTestResource(FakeApiServiceResource.class)
@QuarkusTestResource(FakeIngestServiceResource.class)
class DocumentSearchChatTest extends RestaurantChat {

    FakeIngestService ingest = FakeIngestService.instance();

    @Test
    void an_allergen_question_is_answered_from_the_allergen_sheet_quoting_and_citing_it() {
        UUID sheet = UUID.randomUUID();
        ingest.add(new FakeIngestService.Chunk(tenant, sheet, "Allergen sheet", "file_upload", "allergens-2026.pdf",
                null, 3, "Lasagne al forno contains gluten (wheat), milk, egg and celery. The lasagne contains no nuts."));
        ingest.add(new FakeIngestService.Chunk(UUID.randomUUID(), UUID.randomUUID(), "Other restaurant's sheet",
                "file_upload", "other.pdf", null, 0, "The lasagne contains walnuts and nuts."));

        Reply reply = chat.send(customer.token(), null, "Does the lasagne contain nuts?");

        assertThat(reply.toolsCalled()).containsExactly("search_documents");
        assertThat(reply.toolResult("search_documents").path("outcome").asText()).isEqualTo("ok");
        JsonNode passage = reply.toolResult("search_documents").path("result").path("passages").get(0);
        assertThat(passage.path("document_id").asText()).isEqualTo(sheet.toString());
        assertThat(passage.path("source").asText()).isEqualTo("allergens-2026.pdf");
        List<FakeIngestService.Received> searches = ingest.received().stream()
                .filter(request -> ("Bearer " + customer.token()).equals(request.authorization())).toList();
        assertThat(searches).singleElement().satisfies(request -> {
            assertThat(request.body().path("query").asText()).isEqualTo("Does the lasagne contain nuts?");
            assertThat(request.body().path("top_k").asInt()).isPositive();
        });
        assertThat(reply.text()).contains("\"Allergen sheet\"", "allergens-2026.pdf", "contains no nuts")
                .doesNotContain("walnuts");
        assertThat(reply.last().type()).isEqualTo("done");
    }

    @Test
    void a_document_search_is_published_as_a_chat_tool_event_that_matches_its_schema() {
        Reply reply = chat.send(customer.token(), null, "What are your allergens?");

        List<ChatToolEvents.Published> published = ChatToolEvents.ofSession(reply.sessionId(), 1);
        assertThat(published).singleElement().satisfies(record -> {
            assertThat(EventSchemas.violations(record.event())).isEmpty();
            assertThat(record.event().path("payload").path("tool_name").asText()).isEqualTo("search_documents");
        });
    }

    @Test
    void when_ingest_service_is_down_the_answer_says_the_documents_are_unavailable() throws Exception {
        ingest.goDown();
        try {
            Reply reply = chat.send(customer.token(), null, "Is the tiramisu safe for someone with a nut allergy?");

            assertThat(reply.toolsCalled()).containsExactly("search_documents");
            JsonNode result = reply.toolResult("search_documents");
            assertThat(result.path("outcome").asText()).isEqualTo("error");
            assertThat(result.path("result").path("documents_available").asBoolean(true)).isFalse();
            assertThat(reply.text()).contains("cannot look at the restaurant's documents");
            assertThat(reply.last().type()).isEqualTo("done");
        } finally {
            ingest.comeBack();
        }
    }
}
