package dev.ragline.llm.chat.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ragline.llm.catalogue.service.TextEmbedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The offline responder's tool choice by embedding similarity, for the requests the chat tests send. */
class ToolChooserTest {

    static final ToolChooser CHOOSER = new ToolChooser(new TextEmbedder(1, 100, new SimpleMeterRegistry()));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Does the lasagne contain nuts?|search_documents",
            "What are your allergens?|search_documents",
            "Is the tiramisu safe for someone with a nut allergy?|search_documents",
            "Does the risotto contain any dairy or celery?|search_documents",
            "Which vegetarian dishes do you have under 12 euros?|retrieve_menu",
            "Show me vegetarian dishes under 12|retrieve_menu",
            "Do you have anything spicy?|retrieve_menu",
            "Show me the desserts|retrieve_menu",
            "Any vegan dishes?|retrieve_menu",
            "Anything spicy with chicken?|retrieve_menu",
            "Show me vegan desserts|retrieve_menu",
            "A gluten-free pasta under 10 euros|retrieve_menu",
            "Something with truffle|retrieve_menu",
            "Add 2 Pizza Margherita and 1 Trofie al pesto, promo code WELCOME10|apply_promos",
            "I'd like 2 Margherita and 1 Caprese Salad, promo code WELCOME10|apply_promos",
            "Yes, please confirm the order|confirm",
            "Yes, place the order|confirm" })
    void a_request_goes_to_the_tool_whose_description_it_is_nearest_to(String message, String tool) {
        assertThat(CHOOSER.choose(message)).isEqualTo(tool);
    }
}
