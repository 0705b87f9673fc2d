package dev.ragline.worker.relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Holds one {@code LISTEN ragline_outbox} connection (reconnecting when it drops) and wakes the relay
 * on every notification, so an event usually leaves within milliseconds of its commit instead of at
 * the next poll. The connection lives on the relay's event loop, where the notification starts a claim at once.
 */
@ApplicationScoped
public class OutboxListener {

    static final String CHANNEL = "ragline_outbox";
    private static final Logger LOG = Logger.getLogger(OutboxListener.class);

    private final Vertx vertx;
    private final RelayLoop loop;
    private final RelayConfig config;
    private volatile PgSubscriber subscriber;

    OutboxListener(Vertx vertx, RelayLoop loop, RelayConfig config) {
        this.vertx = vertx;
        this.loop = loop;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.enabled()) {
            return;
        }
        // Connected from the relay's event loop, the subscriber's connection belongs to it.
        loop.onContext(() -> {
            PgSubscriber listening = PgSubscriber.subscriber(vertx, loop.connectOptions()).reconnectPolicy(retries -> 500L);
            listening.channel(CHANNEL)
                    .subscribeHandler(v -> loop.wakeUp())
                    .handler(payload -> loop.wakeUp());
            listening.closeHandler(v -> LOG.debug("LISTEN connection closed"));
            subscriber = listening;
            listening.connect()
                    .onFailure(e -> LOG.warnf("LISTEN %s failed, relying on the poll: %s", CHANNEL, e.toString()));
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        PgSubscriber listening = subscriber;
        if (listening != null) {
            listening.close();
        }
    }
}
