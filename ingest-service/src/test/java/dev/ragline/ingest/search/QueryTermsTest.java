package dev.ragline.ingest.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTermsTest {

    @Test
    void identifiers_dotted_hyphenated_terms_and_numbers_stay_whole() {
        assertThat(QueryTerms.of("heapq.nlargest with a key, read-only files in RFC-9457 (Python 3.11)?"))
                .containsExactly("heapq.nlargest", "with", "a", "key", "read-only", "files", "in", "rfc-9457", "python",
                        "3.11");
    }

    @Test
    void a_quoted_phrase_is_one_term_and_call_syntax_splits_into_its_names() {
        assertThat(QueryTerms.of("\"expo station\" lru_cache(maxsize=None)"))
                .containsExactly("expo station", "lru_cache", "maxsize", "none");
    }

    @Test
    void sentence_punctuation_at_the_edges_is_not_part_of_a_term_and_repeats_count_once() {
        assertThat(QueryTerms.of("Kettle. kettle... -kettle c++ c#")).containsExactly("kettle", "c++", "c#");
    }

    @Test
    void a_query_of_only_punctuation_has_no_terms() {
        assertThat(QueryTerms.of("?? -- \"\" ...")).isEmpty();
    }
}
