package dev.ragline.worker.infrastructure;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Wires {@link KafkaRoundTrip}'s two channels to one test topic, so a probe travels through the broker. */
public class KafkaProbeProfile implements QuarkusTestProfile {

    private static final String TOPIC = "ragline.test.probe.worker";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "mp.messaging.outgoing.probe-out.connector", "smallrye-kafka",
                "mp.messaging.outgoing.probe-out.topic", TOPIC,
                "mp.messaging.incoming.probe-in.connector", "smallrye-kafka",
                "mp.messaging.incoming.probe-in.topic", TOPIC,
                "mp.messaging.incoming.probe-in.auto.offset.reset", "earliest");
    }
}
