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
