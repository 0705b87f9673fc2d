package dev.ragline.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.contracts.EventSchemas;

/** Checks what reached a topic: every event at least once, valid, and each aggregate's versions in order. */
final class RelayedEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record's event id, as the event's body states it. */
    static String eventIdOf(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).path("event_id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertCompleteAndOrdered(List<ConsumerRecord<String, String>> records, List<UUID> expectedEventIds)
            throws Exception {
        Set<String> seen = new LinkedHashSet<>();
        Map<String, List<Long>> versionsByAggregate = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode event = JSON.readTree(record.value());
            assertThat(EventSchemas.violations(event)).isEmpty();
            seen.add(event.path("event_id").asText());
            versionsByAggregate.computeIfAbsent(record.key(), k -> new ArrayList<>())
                    .add(event.path("aggregate_version").asLong());
        }
        assertThat(seen).containsAll(expectedEventIds.stream().map(UUID::toString).toList());
        // A redelivered event may repeat, but no version may ever follow a later one.
        assertThat(versionsByAggregate.values()).allSatisfy(versions -> assertThat(versions).isSorted());
    }

    private RelayedEvents() {
    }
}
