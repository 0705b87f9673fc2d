package dev.ragline.api.stream.service;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ragline.api.stream.CursorSeal;
import dev.ragline.api.stream.OrderStreamConfig;
import dev.ragline.api.stream.OrderStreamEvent;
import dev.ragline.api.stream.StreamCursor;
import dev.ragline.api.stream.StreamViewer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;

/**
 * Fans the order events this replica reads from Kafka out to its connected clients, and keeps the
 * recent ones so a client that reconnects gets exactly what it missed.
 *
 * <p>
 * One lock guards everything: the feed thread publishes under it, a client subscribes under it, so
 * a new subscriber's replay and its first live event can neither overlap nor leave a hole. Frames
 * are only queued on connections while it is held, never written synchronously. A connection that
 * closes while frames are being offered unsubscribes re-entrantly, hence the copy-on-write sets.
 *
 * <p>
 * Exactly once per event id: the relay is at-least-once, so after a worker crash the same event can sit
 * in the topic twice (same key, hence same partition, at a later offset). Only the first copy is
 * delivered or retained; a later copy is treated like a record that is no order event, so cursors move
 * past it. Every replica reads the same partitions in the same order and learns ids from the same
 * stretch of history (the feed starts {@code dedup-window} back), so every replica drops the same copies
 * and a cursor means the same on each of them: a client resuming anywhere gets no second copy. Copies
 * re-published more than {@code dedup-window} after their first copy would get through; the window
 * bounds memory.
 */
@ApplicationScoped
public class OrderEventHub {

    private static final Logger LOG = Logger.getLogger(OrderEventHub.class);

    private final OrderStreamConfig config;
    private final CursorSeal seal;
    private final Timer deliveryLag;
    private final Counter duplicates;

    private final Deque<OrderStreamEvent> retained = new ArrayDeque<>();
    /** Where the first copy of each recently read event id sits, oldest first. */
    private final LinkedHashMap<UUID, FirstCopy> firstCopies = new LinkedHashMap<>();
    private final Map<UUID, Set<Subscription>> subscriptionsByTenant = new ConcurrentHashMap<>();
    /** Per partition, the next offset this replica has not read yet. */
    private long[] offered = new long[0];
    /** Per partition, the first offset still retained: a client behind it may have missed events. */
    private long[] retainedFrom = new long[0];
    private int clients;

    public OrderEventHub(OrderStreamConfig config, CursorSeal seal, MeterRegistry registry) {
        this.config = config;
        this.seal = seal;
        this.deliveryLag = Timer.builder("ragline.stream.lag")
                .description("Time from an order event's publication to Kafka until it is queued to a stream client")
                .publishPercentileHistogram()
                .register(registry);
        this.duplicates = Counter.builder("ragline.stream.duplicates")
                .description("Later copies of an order event already read (the relay re-published it), not delivered")
                .register(registry);
        registry.gauge("ragline.stream.clients", this, hub -> hub.clientCount());
    }

    /** The feed starts (or extends) its assignment at these offsets; nothing before them is retained. */
    public synchronized void startAt(long[] firstOffsets) {
        for (int partition = 0; partition < firstOffsets.length; partition++) {
            if (partition >= offered.length || offered[partition] < firstOffsets[partition]) {
                offered = grow(offered, partition + 1);
                retainedFrom = grow(retainedFrom, partition + 1);
                offered[partition] = Math.max(offered[partition], firstOffsets[partition]);
                retainedFrom[partition] = Math.max(retainedFrom[partition], firstOffsets[partition]);
            }
        }
    }

    public synchronized void publish(OrderStreamEvent event) {
        if (alreadyRead(event.partition(), event.offset())) {
            // History before the replay window, or the feed reconnected and re-read: only learn the id.
            rememberFirstCopy(event);
            return;
        }
        if (isLaterCopy(event)) {
            duplicates.increment();
            markRead(event.partition(), event.offset());
            return;
        }
        rememberFirstCopy(event);
        retained.addLast(event);
        evictExpired(event.publishedAtMillis());
        markRead(event.partition(), event.offset());
        for (Subscription subscription : subscriptionsByTenant.getOrDefault(event.tenantId(), Set.of())) {
            subscription.offer(event, true);
        }
    }

    /** A record that is not an order event still counts as read, so cursors move past it. */
    public synchronized void skip(int partition, long offset) {
        markRead(partition, offset);
    }

    /**
     * Connects a client. With a {@code lastEventId} it first gets every retained event after that
     * point that it may see; a point older than the window (or an id that is not ours) is announced
     * with a resync frame, because events may have been lost to it.
     */
    public synchronized Subscription subscribe(StreamViewer viewer, Optional<String> lastEventId, OrderEventSink sink) {
        Optional<StreamCursor> resumeFrom = lastEventId.filter(id -> !id.isBlank()).flatMap(seal::open);
        boolean resuming = lastEventId.filter(id -> !id.isBlank()).isPresent();
        StreamCursor cursor = resumeFrom.orElseGet(() -> StreamCursor.at(resuming ? retainedFrom : offered));
        boolean gap = resuming && (resumeFrom.isEmpty() || olderThanWindow(cursor));
        Subscription subscription = new Subscription(viewer, cursor, seal, sink, deliveryLag);
        sink.opened(seal.seal(cursor));
        if (gap) {
            cursor.catchUp(retainedFrom);
            sink.resync(seal.seal(cursor));
        }
        if (resuming) {
            for (OrderStreamEvent event : retained) {
                if (event.tenantId().equals(viewer.tenantId())) {
                    subscription.offer(event, false);
                }
            }
        }
        subscriptionsByTenant.computeIfAbsent(viewer.tenantId(), tenant -> new CopyOnWriteArraySet<>()).add(subscription);
        clients++;
        return subscription;
    }

    public synchronized void unsubscribe(Subscription subscription) {
        Set<Subscription> ofTenant = subscriptionsByTenant.get(subscription.viewer().tenantId());
        if (ofTenant != null && ofTenant.remove(subscription)) {
            clients--;
            if (ofTenant.isEmpty()) {
                subscriptionsByTenant.remove(subscription.viewer().tenantId());
            }
        }
    }

    /**
     * One timer for every client of the replica, rather than one per connection. It also ends the
     * streams whose access token has expired: the client reconnects with a fresh token and its id.
     */
    @Scheduled(every = "${ragline.order-stream.heartbeat-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void heartbeat() {
        Instant now = Instant.now();
        evictExpired(now.toEpochMilli());
        forgetExpiredCopies(now.toEpochMilli());
        for (Set<Subscription> ofTenant : subscriptionsByTenant.values()) {
            for (Subscription subscription : ofTenant) {
                if (subscription.viewer().tokenExpiredAt(now)) {
                    unsubscribe(subscription);
                    subscription.sink().close();
                } else {
                    subscription.heartbeat(offered);
                }
            }
        }
    }

    /** Closes every connection, so clients reconnect (with their last id) to a replica that is up. */
    public synchronized void closeAll() {
        List<Subscription> all = subscriptionsByTenant.values().stream().flatMap(Set::stream).toList();
        LOG.debugf("Closing %d order stream clients", all.size());
        all.forEach(subscription -> subscription.sink().close());
    }

    public synchronized int clientCount() {
        return clients;
    }

    private boolean olderThanWindow(StreamCursor cursor) {
        for (int partition = 0; partition < retainedFrom.length; partition++) {
            if (cursor.nextOffset(partition) < retainedFrom[partition]) {
                return true;
            }
        }
        return false;
    }

    private boolean alreadyRead(int partition, long offset) {
        return partition < offered.length && offset < offered[partition];
    }

    private boolean isLaterCopy(OrderStreamEvent event) {
        FirstCopy first = event.eventId() == null ? null : firstCopies.get(event.eventId());
        return first != null && (first.partition() != event.partition() || first.offset() != event.offset());
    }

    private void rememberFirstCopy(OrderStreamEvent event) {
        if (event.eventId() == null) {
            return;
        }
        firstCopies.putIfAbsent(event.eventId(), new FirstCopy(event.partition(), event.offset(), event.publishedAtMillis()));
        forgetExpiredCopies(System.currentTimeMillis());
    }

    private void forgetExpiredCopies(long nowMillis) {
        long oldestKept = nowMillis - config.dedupWindow().toMillis();
        var oldest = firstCopies.values().iterator();
        while (oldest.hasNext()) {
            FirstCopy copy = oldest.next();
            if (firstCopies.size() <= config.dedupCapacity() && copy.publishedAtMillis() >= oldestKept) {
                return;
            }
            oldest.remove();
        }
    }

    private void markRead(int partition, long offset) {
        offered = grow(offered, partition + 1);
        retainedFrom = grow(retainedFrom, partition + 1);
        offered[partition] = Math.max(offered[partition], offset + 1);
    }

    private void evictExpired(long nowMillis) {
        long oldestKept = nowMillis - config.replayWindow().toMillis();
        while (!retained.isEmpty()
                && (retained.size() > config.replayCapacity() || retained.peekFirst().publishedAtMillis() < oldestKept)) {
            OrderStreamEvent evicted = retained.removeFirst();
            retainedFrom = grow(retainedFrom, evicted.partition() + 1);
            retainedFrom[evicted.partition()] = Math.max(retainedFrom[evicted.partition()], evicted.offset() + 1);
        }
    }

    private static long[] grow(long[] offsets, int partitions) {
        return offsets.length >= partitions ? offsets : Arrays.copyOf(offsets, partitions);
    }

    private record FirstCopy(int partition, long offset, long publishedAtMillis) {
    }
}
