package dev.ragline.ingest.job.service;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * The jobs' committed changes, as PostgreSQL announces them on rake_job_changes (V60): one listening
 * connection per instance, fanned out to every progress stream of this instance. After the connection is
 * (re-)established every stream is told to read its job again, since announcements made while it was down
 * are not replayed.
 */
@ApplicationScoped
public class JobChanges {

    static final String CHANNEL = "rake_job_changes";

    private static final Logger LOG = Logger.getLogger(JobChanges.class);
    private static final long RECONNECT_DELAY_MILLIS = 1000;

    /** A change of the job with this id, or, for {@link #everyJob()}, a reason to read every followed job again. */
    record Change(UUID jobId) {

        static Change everyJob() {
            return new Change(null);
        }

        boolean concerns(UUID job) {
            return jobId == null || jobId.equals(job);
        }
    }

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final BroadcastProcessor<Change> changes = BroadcastProcessor.create();
    private PgSubscriber subscriber;

    JobChanges(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.options = PgConnectOptions.fromUri(url).setUser(user);
        password.ifPresent(options::setPassword);
    }

    void listen(@Observes StartupEvent startup) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> RECONNECT_DELAY_MILLIS);
        subscriber.channel(CHANNEL)
                .subscribeHandler(() -> changes.onNext(Change.everyJob()))
                .handler(this::announced);
        subscriber.connect().subscribe().with(connected -> LOG.debugf("Listening on %s", CHANNEL),
                failure -> LOG.warnf("Cannot listen on %s yet, retrying: %s", CHANNEL, failure.toString()));
    }

    /** Changes of one job, as they are committed; also a read-again signal after a reconnect. */
    public Multi<UUID> of(UUID jobId) {
        return changes.filter(change -> change.concerns(jobId)).map(change -> jobId);
    }

    /**
     * Ends the progress streams as soon as shutdown begins: the HTTP server then waits for requests in
     * flight, and an open stream would hold that wait until the shutdown timeout. Clients reconnect to
     * another instance.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent shutdownBegins) {
        changes.onComplete();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        changes.onComplete();
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    private void announced(String payload) {
        try {
            changes.onNext(new Change(UUID.fromString(Objects.requireNonNull(payload))));
        } catch (IllegalArgumentException | NullPointerException notAJobId) {
            LOG.debugf("Ignored an announcement on %s: %s", CHANNEL, payload);
        }
    }
}
