package dev.ragline.worker.relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Holds one {@code LISTEN ragline_outbox} connection (reconnecting when it drops) and wakes the relay
 * on every notification, so an event usually leaves within milliseconds of its commit instead of at
 * the next poll.
 */
@ApplicationScoped
public class OutboxListener {

    static final String CHANNEL = "ragline_outbox";
    private static final Logger LOG = Logger.getLogger(OutboxListener.class);

    private final Vertx vertx;
    private final RelayLoop loop;
    private final RelayConfig config;
    private final String url;
    private final String user;
    private final String password;
    private PgSubscriber subscriber;

    OutboxListener(Vertx vertx, RelayLoop loop, RelayConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.loop = loop;
        this.config = config;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.enabled()) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user).setPassword(password);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 500L);
        subscriber.channel(CHANNEL)
                .subscribeHandler(v -> loop.wakeUp())
                .handler(payload -> loop.wakeUp());
        subscriber.closeHandler(v -> LOG.debug("LISTEN connection closed"));
        subscriber.connect().onFailure(e -> LOG.warnf("LISTEN %s failed, relying on the poll: %s", CHANNEL, e.toString()));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
