package dev.ragline.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ragline.ingest.source.web.HostPacer;
import io.quarkus.test.junit.QuarkusTest;

/** The per-host rate limit holds across concurrent fetchers (it lives in Redis, shared by all replicas). */
@QuarkusTest
class HostPacerTest {

    @Inject
    HostPacer pacer;

    @Test
    void concurrent_fetchers_of_one_host_take_turns_spaced_by_the_interval() throws Exception {
        String host = "paced-" + UUID.randomUUID() + ".example";
        List<Long> turns = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService fetchers = Executors.newFixedThreadPool(3)) {
            List<Future<?>> running = new ArrayList<>();
            for (int f = 0; f < 3; f++) {
                running.add(fetchers.submit(() -> {
                    for (int i = 0; i < 4; i++) {
                        pacer.awaitTurn(host);
                        turns.add(System.nanoTime());
                    }
                    return null;
                }));
            }
            for (Future<?> fetcher : running) {
                fetcher.get();
            }
        }
        List<Long> sorted = turns.stream().sorted().toList();
        // %test interval is 20 ms. Turns are spaced in Redis; seen from the JVM a single gap carries the
        // jitter of two round trips, so check the whole: 12 turns took at least 11 intervals.
        assertThat((sorted.getLast() - sorted.getFirst()) / 1_000_000.0).isGreaterThanOrEqualTo(11 * 20 * 0.95);
    }
}
