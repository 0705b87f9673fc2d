package dev.ragline.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.source.RawDocument;
import dev.ragline.ingest.support.Fixtures;

class CleanerTest {

    private final Cleaner cleaner = new Cleaner();

    @Test
    void messy_html_keeps_its_structure_and_loses_its_boilerplate() {
        CleanDocument clean = cleaner.clean(new RawDocument("hours.html", "Store  opening\u00a0hours", null, true,
                Fixtures.MESSY_HTML, Map.of())).orElseThrow();

        assertThat(clean.text()).isEqualTo("""
                # Opening hours

                Our flagship store in Lyon opens at nine o'clock every weekday.

                - Monday to Friday: 9:00 to 19:00
                - Saturday: 10:00 to 17:00

                Day | Hours
                Sunday | closed

                Fulltext and café are normalised.""".replace("Fulltext", "Fullwidth text"));
        assertThat(clean.title()).isEqualTo("Store opening hours");
    }

    @Test
    void the_content_hash_ignores_whitespace_noise_but_not_changes() {
        String a = cleaner.clean(text("Refunds  take\r\n\r\n\r\n\r\nfive days.  ")).orElseThrow().contentHash();
        String b = cleaner.clean(text("Refunds take\n\nfive days.")).orElseThrow().contentHash();
        String c = cleaner.clean(text("Refunds take\n\nsix days.")).orElseThrow().contentHash();

        assertThat(a).isEqualTo(b).hasSize(64).isNotEqualTo(c);
    }

    @Test
    void a_document_with_nothing_readable_is_dropped() {
        assertThat(cleaner.clean(new RawDocument("empty.html", null, null, true,
                "<html><script>x()</script><nav>menu</nav></html>", Map.of()))).isEmpty();
        assertThat(cleaner.clean(text(" \n\t\u200b "))).isEmpty();
    }

    private static RawDocument text(String content) {
        return new RawDocument("doc.txt", "doc.txt", null, false, content, Map.of());
    }
}
