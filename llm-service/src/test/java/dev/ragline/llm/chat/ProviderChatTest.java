package dev.ragline.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ragline.llm.support.FakeApiService;
import dev.ragline.llm.support.FakeIngestService;
import dev.ragline.llm.support.RestaurantChat;
import dev.ragline.llm.support.ScriptedOpenAi;
import dev.ragline.llm.support.ScriptedOpenAi.Script;
import dev.ragline.llm.support.ScriptedProviderProfile;
import dev.ragline.llm.support.SseClient.Reply;
import dev.ragline.llm.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The OpenAI-compatible provider path, driven by a scripted server that streams real chunk formats. */
@QuarkusTest
@TestProfile(ScriptedProviderProfile.class)
class ProviderChatTest extends RestaurantChat {

    ScriptedOpenAi provider = ScriptedOpenAi.instance();

    @Test
    void streamed_text_arrives_as_tokens_and_usage_comes_from_the_chunk_without_choices() {
        provider.reset(new Script().text("Hello", ", we are", " open!").finish("stop").usage(42, 7, false));

        Reply reply = chat.send(customer.token(), null, "Are you open?");

        assertThat(reply.ofType("token").stream().map(event -> event.data().path("text").asText()))
                .containsExactly("Hello", ", we are", " open!");
        assertThat(reply.last().type()).isEqualTo("done");
        assertThat(reply.last().data().path("usage").path("input_tokens").asLong()).isEqualTo(42);
        assertThat(reply.last().data().path("usage").path("output_tokens").asLong()).isEqualTo(7);
        JsonNode sent = provider.requests().getFirst();
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("tools").findValuesAsText("name")).contains("retrieve_menu", "apply_promos", "confirm");
    }

    @Test
    void the_time_a_provider_takes_before_its_first_text_is_reported_as_the_models_not_the_services() {
        provider.reset(new Script().pause(300).text("Hello").finish("stop"));

        Reply reply = chat.send(customer.token(), null, "Are you open today?");

        JsonNode done = reply.last().data();
        assertThat(reply.last().type()).isEqualTo("done");
        assertThat(done.path("first_token_model_ms").asLong()).isGreaterThanOrEqualTo(300)
                .isLessThanOrEqualTo(done.path("first_token_ms").asLong());
    }

    @Test
    void a_tool_call_with_arguments_split_across_chunks_runs_as_the_caller_and_its_result_goes_back() {
        UUID otherTenant = UUID.randomUUID();
        provider.reset(
                new Script().toolCallStarts(0, "call_menu", "retrieve_menu")
                        .toolArguments(0, "{\"query\": \"veg").toolArguments(0, "etarian pizza\", \"max_pr")
                        .toolArguments(0, "ice\": 12, \"tags\": [\"vegetarian\"], \"tenant_id\": \"" + otherTenant)
                        .toolArguments(0, "\"}").finish("tool_calls").usage(80, 20, true),
                new Script().text("The Margherita", " is vegetarian.").finish("stop").usage(120, 9, true));

        Reply reply = chat.send(customer.token(), null, "A vegetarian pizza under 12, please");

        assertThat(reply.toolsCalled()).containsExactly("retrieve_menu");
        JsonNode arguments = reply.ofType("tool_call").getFirst().data().path("arguments");
        assertThat(arguments.path("query").asText()).isEqualTo("vegetarian pizza");
        assertThat(arguments.path("max_price").asInt()).isEqualTo(12);
        JsonNode items = reply.toolResult("retrieve_menu").path("result").path("items");
        assertThat(items.findValuesAsText("name")).contains("Margherita").doesNotContain("Truffle Risotto");
        items.findValuesAsText("id").forEach(id -> assertThat(menu.values()).contains(UUID.fromString(id)));
        assertThat(reply.text()).isEqualTo("The Margherita is vegetarian.");
        assertThat(reply.last().data().path("usage").path("input_tokens").asLong()).isEqualTo(200);

        JsonNode followUp = provider.requests().get(1).path("messages");
        JsonNode toolMessage = followUp.get(followUp.size() - 1);
        assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
        assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_menu");
        assertThat(toolMessage.path("content").asText()).contains("Margherita");
    }

    @Test
    void several_tool_calls_in_one_reply_all_run_and_all_results_go_back() {
        provider.reset(
                new Script().toolCallStarts(0, "call_a", "retrieve_menu").toolArguments(0, "{\"query\":")
                        .toolArguments(0, " \"desserts\"}").toolCallStarts(1, "call_b", "retrieve_menu")
                        .toolArguments(1, "{\"query\": ").toolArguments(1, "\"drinks\"}").finish("tool_calls"),
                new Script().text("Tiramisu and lemonade.").finish("stop"));

        Reply reply = chat.send(customer.token(), null, "Something sweet and something to drink?");

        assertThat(reply.ofType("tool_call").stream().map(event -> event.data().path("id").asText()))
                .containsExactly("call_a", "call_b");
        assertThat(reply.ofType("tool_result")).hasSize(2);
        assertThat(reply.ofType("tool_result").get(0).data().path("result").path("items").findValuesAsText("name"))
                .contains("Tiramisu");
        assertThat(reply.ofType("tool_result").get(1).data().path("result").path("items").findValuesAsText("name"))
                .contains("Lemonade");
        JsonNode followUp = provider.requests().get(1).path("messages");
        assertThat(followUp.findValuesAsText("tool_call_id")).contains("call_a", "call_b");
    }

    @Test
    void the_tool_call_cap_per_turn_refuses_further_calls_and_asks_for_an_answer_without_tools() {
        Script lookup = new Script().toolCallStarts(0, "call_1", "retrieve_menu")
                .toolArguments(0, "{\"query\": \"pizza\"}").finish("tool_calls");
        provider.reset(lookup, new Script().toolCallStarts(0, "call_2", "retrieve_menu")
                .toolArguments(0, "{\"query\": \"pasta\"}").finish("tool_calls"),
                new Script().toolCallStarts(0, "call_3", "retrieve_menu")
                        .toolArguments(0, "{\"query\": \"salad\"}").finish("tool_calls"),
                new Script().text("Here is what I found.").finish("stop"));

        Reply reply = chat.send(customer.token(), null, "Show me everything");

        assertThat(reply.ofType("tool_result").stream().map(event -> event.data().path("outcome").asText()))
                .containsExactly("ok", "ok", "rejected");
        assertThat(provider.requests()).hasSize(4);
        assertThat(provider.requests().get(3).has("tools")).isFalse();
        assertThat(reply.last().type()).isEqualTo("done");
    }

    @Test
    void a_provider_error_in_the_middle_of_the_stream_ends_the_turn_with_an_error_event() {
        provider.reset(new Script().text("Let me").errorMidStream("The server is overloaded"));

        Reply reply = chat.send(customer.token(), null, "Hello?");

        assertThat(reply.last().type()).isEqualTo("error");
        assertThat(reply.last().data().path("type").asText()).isEqualTo("provider_error");
        assertThat(reply.ofType("done")).isEmpty();
    }

    @Test
    void a_message_the_session_cannot_store_ends_the_turn_with_an_error_instead_of_done() {
        provider.reset(new Script().text("Hello!").finish("stop"));

        // PostgreSQL text cannot hold a NUL character: the model answers, but the message is not in the session.
        Reply reply = chat.send(customer.token(), null, "Hello\u0000there");

        assertThat(reply.last().type()).isEqualTo("error");
        assertThat(reply.last().data().path("type").asText()).isEqualTo("internal_error");
        assertThat(reply.ofType("done")).isEmpty();
    }

    @Test
    void a_slow_provider_times_out_with_an_error_event() {
        provider.reset(new Script().pause(8_000).text("Too late").finish("stop"));

        Reply reply = chat.send(customer.token(), null, "Hello?");

        assertThat(reply.last().type()).isEqualTo("error");
        assertThat(reply.last().data().path("type").asText()).isEqualTo("provider_timeout");
    }

    @Test
    void a_client_that_disconnects_cancels_the_turn_so_the_tool_work_still_pending_never_runs() {
        provider.reset(slowReplyThatThenAsksToPrice(), new Script().text("Done.").finish("stop"));
        int pricedBefore = pricesOf(customer);

        Reply partial = chat.send(customer.token(), null, "One Margherita please",
                event -> event.type().equals("token"));

        assertThat(partial.ofType("token")).hasSize(1);
        // The scripted reply asks for apply_promos about 3 s after the first token: the turn was cancelled
        // by then, so the tool never runs and the model is not called again.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> pricesOf(customer) == pricedBefore && provider.requests().size() == 1);
    }

    @Test
    void a_client_that_disconnects_closes_the_providers_stream_instead_of_reading_it_to_the_end() {
        provider.reset(slowReplyThatThenAsksToPrice());

        long disconnected = System.nanoTime();
        chat.send(customer.token(), null, "One Margherita please", event -> event.type().equals("token"));

        // The scripted stream runs about 3 s more; the provider sees its connection closed well before that.
        await().atMost(Duration.ofMillis(1_500)).until(() -> provider.abortedByClient() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - disconnected)).isLessThan(Duration.ofMillis(2_500));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> provider.finishedScripts() == 0);
    }

    @Test
    void a_client_that_disconnects_while_a_tool_call_is_in_flight_cancels_that_call_and_the_turn() {
        FakeApiService api = FakeApiService.instance();
        api.priceSlowlyFor(tenant);
        int abandonedBefore = api.pricingsAbandoned();
        provider.reset(new Script().toolCallStarts(0, "call_price", "apply_promos")
                .toolArguments(0, "{\"items\": [{\"product_id\": \"" + menu.get("Margherita") + "\", \"quantity\": 1}]}")
                .finish("tool_calls"), new Script().text("Your cart is priced.").finish("stop"));

        // The client hangs up once api-service has the pricing request, which it takes ~10 s to answer.
        Reply partial = chat.send(customer.token(), null, "One Margherita please", event -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> pricesOf(customer) == 1);
            return event.type().equals("tool_call");
        });

        assertThat(partial.toolsCalled()).containsExactly("apply_promos");
        // The request in flight is dropped at once, and the model is never asked to go on with a result nobody
        // will read.
        await().atMost(Duration.ofSeconds(3)).until(() -> api.pricingsAbandoned() == abandonedBefore + 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> provider.requests().size() == 1);
    }

    @Test
    void the_model_can_search_the_tenants_documents_and_gets_passages_with_their_source() {
        FakeIngestService.instance().add(new FakeIngestService.Chunk(tenant, UUID.randomUUID(), "Allergen sheet",
                "url_scrape", "https://example.test/allergens", "https://example.test/allergens", 0,
                "Tiramisu contains egg, milk and gluten; it contains no nuts."));
        provider.reset(
                new Script().toolCallStarts(0, "call_docs", "search_documents")
                        .toolArguments(0, "{\"query\": \"tiramisu nuts allergens\"}").finish("tool_calls"),
                new Script().text("No nuts (Allergen sheet).").finish("stop"));

        Reply reply = chat.send(customer.token(), null, "Is there anything with nuts in the tiramisu?");

        assertThat(reply.toolsCalled()).containsExactly("search_documents");
        assertThat(provider.requests().getFirst().path("tools").findValuesAsText("name")).contains("search_documents");
        JsonNode toolMessage = provider.requests().get(1).path("messages");
        String content = toolMessage.get(toolMessage.size() - 1).path("content").asText();
        assertThat(content).contains("Allergen sheet", "https://example.test/allergens", "contains no nuts");
        assertThat(FakeIngestService.instance().received()).anySatisfy(
                request -> assertThat(request.authorization()).isEqualTo("Bearer " + customer.token()));
    }

    /** Streams a token, then about 3 s of dots, then asks for apply_promos on the Margherita. */
    private Script slowReplyThatThenAsksToPrice() {
        Script slow = new Script().text("Let me price that");
        for (int i = 0; i < 20; i++) {
            slow.pause(150).text(".");
        }
        return slow.toolCallStarts(0, "call_price", "apply_promos")
                .toolArguments(0, "{\"items\": [{\"product_id\": \"" + menu.get("Margherita") + "\", \"quantity\": 1}]}")
                .finish("tool_calls");
    }

    private static int pricesOf(Tokens.User user) {
        List<FakeApiService.Received> all = FakeApiService.instance().received();
        return (int) all.stream().filter(request -> request.path().equals("/v1/carts/price"))
                .filter(request -> ("Bearer " + user.token()).equals(request.authorization())).count();
    }
}
