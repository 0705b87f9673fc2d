package dev.ragline.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The bounded hand-over between two pipeline stages, which is what keeps a job's memory flat. */
class HandoffTest {

    @Test
    void a_fast_stage_waits_while_its_neighbour_has_a_full_queue_of_chunks() throws Exception {
        Handoff<String> handoff = new Handoff<>(100);
        handoff.put("first document", 60);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> handoff.put("second document", 60));

        Thread.sleep(200);
        assertThat(second).as("120 chunks would exceed the 100 allowed to wait").isNotDone();

        assertThat(handoff.take()).isEqualTo("first document");
        second.get(5, TimeUnit.SECONDS);
        assertThat(handoff.take()).isEqualTo("second document");
    }

    @Test
    void a_document_larger_than_the_queue_still_passes_when_the_queue_is_empty() {
        Handoff<String> handoff = new Handoff<>(100);
        handoff.put("a 5,000-chunk annual report", 5000);
        assertThat(handoff.take()).isEqualTo("a 5,000-chunk annual report");
    }

    @Test
    void the_consumer_takes_what_is_left_after_the_producer_closes_then_gets_the_end() {
        Handoff<String> handoff = new Handoff<>(100);
        handoff.put("a", 1);
        handoff.put("b", 1);
        handoff.put("c", 1);
        handoff.close();
        assertThat(handoff.drain(2, 100)).containsExactly("a", "b");
        assertThat(handoff.drain(2, 100)).containsExactly("c");
        assertThat(handoff.drain(2, 100)).isEmpty();
        assertThat(handoff.take()).isNull();
    }

    @Test
    void an_abort_wakes_a_stage_waiting_for_work() throws Exception {
        Handoff<String> handoff = new Handoff<>(100);
        CompletableFuture<List<String>> waiting = CompletableFuture.supplyAsync(() -> handoff.drain(10, 100));
        Thread.sleep(100);

        handoff.abort();

        assertThatThrownBy(() -> waiting.get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(Handoff.Aborted.class);
    }
}
