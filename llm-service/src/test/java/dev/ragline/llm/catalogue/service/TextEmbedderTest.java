package dev.ragline.llm.catalogue.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The in-process embedding model: inferences on its own threads, query texts embedded once. */
class TextEmbedderTest {

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    TextEmbedder embedder = new TextEmbedder(1, 100, meters);

    @AfterEach
    void stop() {
        embedder.stop();
    }

    @Test
    void a_customer_message_embedded_for_the_tool_choice_is_not_embedded_again_for_the_menu_search() {
        float[] forTheChoice = embedder.embedQuery("Which vegetarian dishes do you have under 12?");
        float[] forTheSearch = embedder.embedQuery("Which vegetarian dishes do you have under 12?");

        assertThat(forTheSearch).isSameAs(forTheChoice).hasSize(TextEmbedder.DIMENSIONS);
        assertThat(inferences()).isEqualTo(1);
    }

    @Test
    void catalogue_texts_are_embedded_every_time_and_equal_the_query_embedding_of_the_same_text() {
        float[] first = embedder.embed("Margherita pizza with tomato and basil");
        float[] again = embedder.embed("Margherita pizza with tomato and basil");

        assertThat(again).isNotSameAs(first).containsExactly(first);
        assertThat(embedder.embedQuery("Margherita pizza with tomato and basil")).containsExactly(first);
        assertThat(inferences()).isEqualTo(3);
    }

    @Test
    void a_chat_on_a_virtual_thread_has_its_message_embedded_on_the_models_own_threads() throws Exception {
        TextEmbedder ownPool = new TextEmbedder(1, 100, meters);
        try {
            Thread chat = Thread.ofVirtual().start(() -> ownPool.embedQuery("Anything spicy with chicken?"));
            chat.join();

            assertThat(Thread.getAllStackTraces().keySet()).anyMatch(thread -> thread.getName().startsWith("embedding-")
                    && !thread.isVirtual());
        } finally {
            ownPool.stop();
        }
    }

    private long inferences() {
        return meters.get("ragline_llm_embedding").timer().count();
    }
}
