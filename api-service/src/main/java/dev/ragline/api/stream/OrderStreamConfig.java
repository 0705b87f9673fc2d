package dev.ragline.api.stream;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this replica follows the order topic and serves its SSE and WebSocket clients. */
@ConfigMapping(prefix = "ragline.order-stream")
public interface OrderStreamConfig {

    /** The topic the worker relays order events to. */
    @WithDefault(dev.ragline.contracts.Topics.ORDERS)
    String topic();

    String bootstrapServers();

    /** How far back a reconnecting client can resume; also what a starting replica reloads from Kafka. */
    @WithDefault("5m")
    Duration replayWindow();

    /**
     * How long an event id is remembered after its first copy, so that a copy the relay re-publishes later
     * (after a worker crash it re-sends what it had not marked published) is dropped instead of delivered
     * again. A starting replica reads this much of the topic before the replay window, only to learn ids.
     */
    @WithDefault("15m")
    Duration dedupWindow();

    /** Upper bound on remembered event ids (about 120 bytes each), whatever their age. */
    @WithDefault("200000")
    int dedupCapacity();

    /** Upper bound on retained events, whatever their age, so a burst cannot exhaust the heap. */
    @WithDefault("20000")
    int replayCapacity();

    /** Idle connections get a frame this often, so proxies and load balancers keep them open. */
    @WithDefault("15s")
    Duration heartbeatInterval();

    /** Frames queued for one slow client before its connection is dropped (it resumes by Last-Event-ID). */
    @WithDefault("1000")
    int clientBufferSize();

    /** How often the feed looks for new partitions of the topic. */
    @WithDefault("30s")
    Duration partitionRefreshInterval();

    /**
     * A secret every replica holds, from which the key sealing stream ids is derived (see {@link CursorSeal}); by
     * default the token signing key, so replicas agree without another secret to distribute.
     */
    @WithDefault("${smallrye.jwt.sign.key.location}")
    String cursorSecretLocation();
}
