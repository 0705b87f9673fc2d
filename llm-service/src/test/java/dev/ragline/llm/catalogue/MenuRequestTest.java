package dev.ragline.llm.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a customer's words become retrieve_menu's filters, and what is left to search by meaning. */
class MenuRequestTest {

    @Test
    void without_meat_means_vegetarian_and_leaves_the_embedded_text() {
        MenuRequest request = MenuRequest.read("Something spicy without meat under 12");

        assertThat(request.tags()).containsExactlyInAnyOrder("spicy", "vegetarian");
        assertThat(request.maxPrice()).isEqualByComparingTo("12");
        assertThat(request.semanticText()).isEqualTo("something spicy");
        assertThat(request.excludedTags()).isEmpty();
    }

    @Test
    void a_negated_diet_word_excludes_its_tag_instead_of_requiring_it() {
        assertThat(MenuRequest.read("a pizza that is not spicy").excludedTags()).containsExactly("spicy");
        assertThat(MenuRequest.read("a pizza that is not spicy").tags()).isEmpty();
        assertThat(MenuRequest.read("non-spicy starters").excludedTags()).containsExactly("spicy");
        assertThat(MenuRequest.read("something mild").excludedTags()).containsExactly("spicy");
    }

    @Test
    void prices_are_read_with_or_without_a_currency() {
        assertThat(MenuRequest.read("vegan desserts below €7").maxPrice()).isEqualByComparingTo("7");
        assertThat(MenuRequest.read("mains under 15 euros").maxPrice()).isEqualByComparingTo("15");
        assertThat(MenuRequest.read("a salad < 9,50").maxPrice()).isEqualByComparingTo("9.50");
        assertThat(MenuRequest.read("mains under 15 euros").semanticText()).isEqualTo("mains");
    }

    @Test
    void other_diets_have_their_everyday_words() {
        assertThat(MenuRequest.read("plant-based bowls").tags()).containsExactly("vegan");
        assertThat(MenuRequest.read("pasta without gluten").tags()).containsExactly("gluten-free");
        assertThat(MenuRequest.read("veggie pizza").tags()).containsExactly("vegetarian");
    }

    @Test
    void words_that_only_look_like_a_diet_are_not_read_as_one() {
        assertThat(MenuRequest.read("a hot chocolate").tags()).isEmpty();
        assertThat(MenuRequest.read("spiced apple cake").tags()).isEmpty();
    }

    @Test
    void one_named_menu_section_becomes_the_category() {
        assertThat(MenuRequest.read("gluten-free desserts please").category()).isEqualTo("desserts");
        assertThat(MenuRequest.read("which pastas under 12 are vegetarian?").category()).isEqualTo("pasta");
        assertThat(MenuRequest.read("meat-free main courses").category()).isEqualTo("mains");
        assertThat(MenuRequest.read("a pizza or a salad").category()).isNull();
        assertThat(MenuRequest.read("something to maintain my energy").category()).isNull();
    }
}
