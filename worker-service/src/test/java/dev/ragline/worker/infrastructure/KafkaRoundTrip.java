package dev.ragline.worker.infrastructure;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Sends probes to a test topic and collects what the consumer side reads back from the broker. */
@ApplicationScoped
public class KafkaRoundTrip {

    private final Emitter<String> probes;
    private final Set<String> received = ConcurrentHashMap.newKeySet();

    @Inject
    KafkaRoundTrip(@Channel("probe-out") Emitter<String> probes) {
        this.probes = probes;
    }

    public void send(String probe) {
        probes.send(probe);
    }

    public boolean hasReceived(String probe) {
        return received.contains(probe);
    }

    @Incoming("probe-in")
    void receive(String probe) {
        received.add(probe);
    }
}
