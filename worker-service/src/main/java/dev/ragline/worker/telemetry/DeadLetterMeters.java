package dev.ragline.worker.telemetry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.ragline.contracts.Topics;
import dev.ragline.worker.WorkerTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Registers {@code ragline_dead_letters_total} at 0 for every consumed topic and outcome at start-up, so the
 * first parked letter shows as an increase (an absent series has no rate) and the dashboard's panel has
 * data before anything failed. DeadLetters increments the same counters.
 */
@ApplicationScoped
class DeadLetterMeters {

    void register(@Observes StartupEvent started, WorkerTopics topics, MeterRegistry metrics) {
        for (String topic : new String[] { topics.orders(), topics.products(), topics.notifications() }) {
            for (String outcome : new String[] { "parked", "recovered" }) {
                Counter.builder("ragline.dead.letters").tag("topic", Topics.deadLetterTopicOf(topic))
                        .tag("outcome", outcome)
                        .description("Dead letters parked and recovered by replay, per dead-letter topic")
                        .register(metrics);
            }
        }
    }
}
