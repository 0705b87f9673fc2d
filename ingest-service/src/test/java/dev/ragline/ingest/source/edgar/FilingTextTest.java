package dev.ragline.ingest.source.edgar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class FilingTextTest {

    private static String fixture(String name) throws IOException {
        try (InputStream in = FilingTextTest.class.getResourceAsStream("/edgar/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void an_inline_xbrl_10k_splits_into_its_items_without_the_hidden_facts_or_the_table_of_contents() throws IOException {
        String text = FilingText.text(fixture("aapl-20240928.htm"));
        List<FilingText.Section> items = FilingText.items(text);

        assertThat(text).doesNotContain("AmendmentFlag").contains("Total net sales were $391,035 million.");
        assertThat(items).extracting(FilingText.Section::item).containsExactly("1", "1A", "7", "7A");
        assertThat(items.get(1).text()).startsWith("Item 1A.").contains("global and regional economic conditions")
                .doesNotContain("Total net sales");
    }

    @Test
    void an_8k_keeps_its_numbered_items() throws IOException {
        List<FilingText.Section> items = FilingText.items(FilingText.text(fixture("aapl-20241031.htm")));

        assertThat(items).extracting(FilingText.Section::item).containsExactly("2.02", "9.01");
    }

    @Test
    void a_10q_keeps_part_i_item_1_and_part_ii_item_1_apart() throws IOException {
        List<FilingText.Section> items = FilingText.items(FilingText.text(fixture("aapl-20250329.htm")));

        assertThat(items).extracting(section -> section.part() + "/" + section.item()).containsExactly("I/1", "II/1",
                "II/1A", "II/2");
        assertThat(items.get(0).text()).contains("CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS")
                .doesNotContain("OTHER INFORMATION");
        assertThat(items.get(1).text()).startsWith("Item 1.").contains("Digital Markets Act")
                .doesNotContain("Risk Factors");
        assertThat(items.get(2).text()).contains("tariffs on imports from China");
    }
}
