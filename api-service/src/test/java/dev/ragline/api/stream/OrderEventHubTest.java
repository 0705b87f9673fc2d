package dev.ragline.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.ragline.api.stream.service.OrderEventHub;
import dev.ragline.api.stream.service.OrderEventSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The resume rules of the hub, replica against replica: two hubs fed the same topic hand out ids
 * that each other understands, whichever of them is ahead.
 */
class OrderEventHubTest {

    private static final CursorSeal SEAL = CursorSeal.derivedFrom("the replicas' shared secret".getBytes());

    private final UUID tenant = UUID.randomUUID();
    private final UUID customer = UUID.randomUUID();
    private final StreamViewer staff = new StreamViewer(tenant, UUID.randomUUID(), true, Instant.MAX);

    @Test
    void a_client_resuming_on_a_replica_that_is_behind_gets_no_duplicates_once_it_catches_up() {
        OrderEventHub ahead = hub(Duration.ofMinutes(5), 100);
        OrderEventHub behind = hub(Duration.ofMinutes(5), 100);
        ahead.startAt(new long[] { 0, 0 });
        behind.startAt(new long[] { 0, 0 });
        List<OrderStreamEvent> topic = List.of(event(0, 0), event(1, 0), event(0, 1), event(1, 1), event(0, 2));
        Recording onAhead = new Recording();
        ahead.subscribe(staff, Optional.empty(), onAhead);
        topic.subList(0, 4).forEach(ahead::publish);
        topic.subList(0, 2).forEach(behind::publish);

        Recording onBehind = new Recording();
        behind.subscribe(staff, Optional.of(onAhead.lastId()), onBehind);
        topic.subList(2, 5).forEach(behind::publish);

        assertThat(onAhead.offsets()).containsExactly("0@0", "1@0", "0@1", "1@1");
        assertThat(onBehind.offsets()).containsExactly("0@2");
        assertThat(onBehind.resyncs).isZero();
    }

    @Test
    void a_client_resuming_on_a_replica_that_is_ahead_gets_the_retained_events_it_missed_in_topic_order() {
        OrderEventHub hub = hub(Duration.ofMinutes(5), 100);
        hub.startAt(new long[] { 0, 0 });
        Recording first = new Recording();
        hub.subscribe(staff, Optional.empty(), first);
        hub.publish(event(0, 0));
        hub.publish(event(1, 0));
        String lastId = first.lastId();
        hub.publish(event(1, 1));
        hub.publish(event(0, 1));

        Recording again = new Recording();
        hub.subscribe(staff, Optional.of(lastId), again);
        hub.publish(event(1, 2));

        assertThat(again.offsets()).containsExactly("1@1", "0@1", "1@2");
        assertThat(again.resyncs).isZero();
    }

    @Test
    void a_client_resuming_from_before_the_retained_window_is_told_to_resync() {
        OrderEventHub hub = hub(Duration.ofMinutes(5), 2);
        hub.startAt(new long[] { 0 });
        Recording first = new Recording();
        hub.subscribe(staff, Optional.empty(), first);
        hub.publish(event(0, 0));
        String lastId = first.lastId();
        hub.publish(event(0, 1));
        hub.publish(event(0, 2));
        hub.publish(event(0, 3));

        Recording again = new Recording();
        hub.subscribe(staff, Optional.of(lastId), again);

        assertThat(again.resyncs).isEqualTo(1);
        assertThat(again.offsets()).containsExactly("0@2", "0@3");
    }

    @Test
    void an_id_that_is_not_a_cursor_gets_a_resync_and_the_whole_window() {
        OrderEventHub hub = hub(Duration.ofMinutes(5), 100);
        hub.startAt(new long[] { 0 });
        hub.publish(event(0, 0));

        Recording client = new Recording();
        hub.subscribe(staff, Optional.of("not-a-cursor"), client);

        assertThat(client.resyncs).isEqualTo(1);
        assertThat(client.offsets()).containsExactly("0@0");
    }

    @Test
    void only_live_deliveries_count_towards_the_stream_lag_metric() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OrderEventHub hub = new OrderEventHub(config(Duration.ofMinutes(5), 100), SEAL, registry);
        hub.startAt(new long[] { 0 });
        Recording first = new Recording();
        var firstSubscription = hub.subscribe(staff, Optional.empty(), first);
        String beforeAnything = first.lastId();
        hub.publish(event(0, 0));
        hub.publish(event(0, 1));
        hub.unsubscribe(firstSubscription);

        Recording again = new Recording();
        hub.subscribe(staff, Optional.of(beforeAnything), again);
        hub.publish(event(0, 2));

        assertThat(again.offsets()).containsExactly("0@0", "0@1", "0@2");
        assertThat(registry.get("ragline.stream.lag").timer().count()).isEqualTo(3);
    }

    @Test
    void the_ids_a_tenant_gets_say_nothing_of_the_other_tenants_events_in_between() {
        OrderEventHub hub = hub(Duration.ofMinutes(5), 100);
        hub.startAt(new long[] { 0 });
        Recording client = new Recording();
        hub.subscribe(staff, Optional.empty(), client);
        hub.publish(event(0, 0));
        UUID otherTenant = UUID.randomUUID();
        for (long offset = 1; offset < 5; offset++) {
            hub.publish(new OrderStreamEvent(0, offset, UUID.randomUUID(), System.currentTimeMillis(), otherTenant, customer,
                    "order_created", "{}"));
        }
        hub.publish(event(0, 5));

        assertThat(client.offsets()).containsExactly("0@0", "0@5");
        assertThat(client.ids).hasSize(3).doesNotHaveDuplicates().allSatisfy(id -> {
            assertThat(id).matches("[A-Za-z0-9_-]{32,}");
            assertThat(StreamCursor.parse(id)).isEmpty();
        });
        // Only the replicas can read the position back, to resume the client.
        assertThat(SEAL.open(client.lastId()).orElseThrow().encode()).isEqualTo("6");
    }

    @Test
    void an_id_sealed_with_another_key_or_altered_gets_a_resync_instead_of_a_position() {
        OrderEventHub hub = hub(Duration.ofMinutes(5), 100);
        hub.startAt(new long[] { 0 });
        Recording client = new Recording();
        hub.subscribe(staff, Optional.empty(), client);
        hub.publish(event(0, 0));
        String genuine = client.lastId();
        String altered = genuine.substring(0, 20) + (genuine.charAt(20) == 'A' ? 'B' : 'A') + genuine.substring(21);
        Recording elsewhere = new Recording();
        hub(Duration.ofMinutes(5), 100, CursorSeal.derivedFrom("another secret".getBytes()))
                .subscribe(staff, Optional.empty(), elsewhere);

        Recording withGenuineId = new Recording();
        hub.subscribe(staff, Optional.of(genuine), withGenuineId);
        Recording withAlteredId = new Recording();
        hub.subscribe(staff, Optional.of(altered), withAlteredId);
        Recording withForeignId = new Recording();
        hub.subscribe(staff, Optional.of(elsewhere.lastId()), withForeignId);

        assertThat(withGenuineId.resyncs).isZero();
        assertThat(withAlteredId.resyncs).isEqualTo(1);
        assertThat(withAlteredId.offsets()).containsExactly("0@0");
        assertThat(withForeignId.resyncs).isEqualTo(1);
    }

    @Test
    void a_copy_the_relay_re_published_is_not_delivered_again_live() {
        OrderEventHub hub = hub(Duration.ofMinutes(5), 100);
        hub.startAt(new long[] { 0, 0 });
        Recording client = new Recording();
        hub.subscribe(staff, Optional.empty(), client);
        UUID created = UUID.randomUUID();
        hub.publish(copyOf(created, 0, 0));
        hub.publish(event(1, 0));
        hub.publish(copyOf(created, 0, 1));
        hub.publish(event(0, 2));

        assertThat(client.offsets()).containsExactly("0@0", "1@0", "0@2");
    }

    @Test
    void a_client_resuming_from_before_or_after_the_first_copy_gets_the_event_once() {
        OrderEventHub hub = hub(Duration.ofMinutes(5), 100);
        hub.startAt(new long[] { 0 });
        Recording first = new Recording();
        hub.subscribe(staff, Optional.empty(), first);
        String beforeIt = first.lastId();
        UUID created = UUID.randomUUID();
        hub.publish(copyOf(created, 0, 0));
        String afterIt = first.lastId();
        hub.publish(event(0, 1));
        hub.publish(copyOf(created, 0, 2));

        Recording fromBefore = new Recording();
        hub.subscribe(staff, Optional.of(beforeIt), fromBefore);
        Recording fromAfter = new Recording();
        hub.subscribe(staff, Optional.of(afterIt), fromAfter);
        hub.publish(event(0, 3));

        assertThat(fromBefore.offsets()).containsExactly("0@0", "0@1", "0@3");
        assertThat(fromAfter.offsets()).containsExactly("0@1", "0@3");
        assertThat(fromBefore.resyncs + fromAfter.resyncs).isZero();
    }

    @Test
    void a_replica_that_started_after_the_first_copy_still_drops_the_later_one() {
        OrderEventHub early = hub(Duration.ofMinutes(5), 100);
        early.startAt(new long[] { 0 });
        UUID created = UUID.randomUUID();
        List<OrderStreamEvent> topic = List.of(copyOf(created, 0, 0), event(0, 1), copyOf(created, 0, 2), event(0, 3));
        Recording onEarly = new Recording();
        early.subscribe(staff, Optional.empty(), onEarly);
        topic.subList(0, 2).forEach(early::publish);
        // The late replica replays from offset 1 but, like the feed, reads from further back to learn ids.
        OrderEventHub late = hub(Duration.ofMinutes(5), 100);
        late.startAt(new long[] { 1 });
        topic.forEach(late::publish);

        Recording onLate = new Recording();
        late.subscribe(staff, Optional.of(onEarly.lastId()), onLate);

        assertThat(onEarly.offsets()).containsExactly("0@0", "0@1");
        assertThat(onLate.offsets()).containsExactly("0@3");
        assertThat(onLate.resyncs).isZero();
    }

    @Test
    void the_dropped_copies_are_counted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OrderEventHub hub = new OrderEventHub(config(Duration.ofMinutes(5), 100), SEAL, registry);
        hub.startAt(new long[] { 0 });
        UUID created = UUID.randomUUID();
        hub.publish(copyOf(created, 0, 0));
        hub.publish(copyOf(created, 0, 1));
        hub.publish(copyOf(created, 0, 2));

        assertThat(registry.get("ragline.stream.duplicates").counter().count()).isEqualTo(2);
    }

    @Test
    void cursors_round_trip_and_reject_foreign_ids() {
        assertThat(StreamCursor.parse("42.17.90")).hasValueSatisfying(cursor -> {
            assertThat(cursor.encode()).isEqualTo("42.17.90");
            assertThat(cursor.isAhead(1, 16)).isFalse();
            assertThat(cursor.isAhead(1, 17)).isTrue();
            assertThat(cursor.isAhead(5, 0)).isTrue();
        });
        assertThat(StreamCursor.parse("abc")).isEmpty();
        assertThat(StreamCursor.parse("1..2")).isEmpty();
        assertThat(StreamCursor.parse("99999999999999999999")).isEmpty();
    }

    private OrderStreamEvent event(int partition, long offset) {
        return copyOf(UUID.randomUUID(), partition, offset);
    }

    /** The event with this id as it sits at this position of the topic (a re-published copy has a later offset). */
    private OrderStreamEvent copyOf(UUID eventId, int partition, long offset) {
        return new OrderStreamEvent(partition, offset, eventId, System.currentTimeMillis(), tenant, customer,
                "order_created", "{\"offset\":\"" + partition + "@" + offset + "\"}");
    }

    private static OrderEventHub hub(Duration window, int capacity) {
        return hub(window, capacity, SEAL);
    }

    private static OrderEventHub hub(Duration window, int capacity, CursorSeal seal) {
        return new OrderEventHub(config(window, capacity), seal, new SimpleMeterRegistry());
    }

    private static OrderStreamConfig config(Duration window, int capacity) {
        return new OrderStreamConfig() {
            @Override
            public String topic() {
                return "unused";
            }

            @Override
            public String bootstrapServers() {
                return "unused";
            }

            @Override
            public Duration replayWindow() {
                return window;
            }

            @Override
            public int replayCapacity() {
                return capacity;
            }

            @Override
            public Duration dedupWindow() {
                return Duration.ofMinutes(15);
            }

            @Override
            public int dedupCapacity() {
                return 1000;
            }

            @Override
            public Duration heartbeatInterval() {
                return Duration.ofSeconds(15);
            }

            @Override
            public int clientBufferSize() {
                return 100;
            }

            @Override
            public Duration partitionRefreshInterval() {
                return Duration.ofSeconds(30);
            }

            @Override
            public String cursorSecretLocation() {
                return "unused";
            }
        };
    }

    /** What one client was sent. */
    static final class Recording implements OrderEventSink {

        final List<OrderStreamEvent> events = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        int resyncs;

        @Override
        public void opened(String cursor) {
            ids.add(cursor);
        }

        @Override
        public void event(OrderStreamEvent event, String cursor) {
            events.add(event);
            ids.add(cursor);
        }

        @Override
        public void heartbeat(String cursor) {
            ids.add(cursor);
        }

        @Override
        public void resync(String cursor) {
            resyncs++;
            ids.add(cursor);
        }

        @Override
        public void close() {
        }

        String lastId() {
            return ids.getLast();
        }

        List<String> offsets() {
            return events.stream().map(event -> event.envelope().replaceAll(".*\"offset\":\"([^\"]+)\".*", "$1"))
                    .toList();
        }
    }
}
