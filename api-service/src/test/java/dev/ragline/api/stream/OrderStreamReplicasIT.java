package dev.ragline.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two api-service replicas (the packaged jar, as real processes) follow the same topic. A client
 * whose replica goes away reconnects to the other with the id it last got, and continues exactly
 * where it stopped: the ids mean the same on every replica.
 */
class OrderStreamReplicasIT {

    private static final String TOPIC = "ragline.test.api.order-stream-replicas";
    private static final String BOOTSTRAP = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private static OrderEventProducer orders;
    private static Replica first;
    private static Replica second;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        orders = new OrderEventProducer(BOOTSTRAP, TOPIC);
        first = Replica.start("first");
        second = Replica.start("second");
        first.awaitLive();
        second.awaitLive();
    }

    @AfterAll
    static void stopReplicas() {
        if (first != null) {
            first.stop();
        }
        if (second != null) {
            second.stop();
        }
        if (orders != null) {
            orders.close();
        }
    }

    @Test
    void a_client_whose_replica_stops_resumes_on_another_replica_without_gaps_or_duplicates() throws Exception {
        UUID tenant = UUID.randomUUID();
        String token = TestTokens.of(tenant, UUID.randomUUID(), "staff");
        SseTestClient onFirst = SseTestClient.connect(first.stream(), token, null);
        List<String> seen = IntStream.range(0, 4).mapToObj(i -> orders.publishCreated(tenant, UUID.randomUUID())).toList();
        await().atMost(DELIVERY).until(() -> onFirst.eventIdsOfOrders().containsAll(seen));

        first.stop();
        await().atMost(DELIVERY).until(onFirst::ended);
        List<String> missed = IntStream.range(0, 9).mapToObj(i -> orders.publishCreated(tenant, UUID.randomUUID())).toList();

        try (SseTestClient onSecond = SseTestClient.connect(second.stream(), token, onFirst.lastEventId())) {
            await().atMost(DELIVERY).until(() -> onSecond.eventIdsOfOrders().containsAll(missed));
            String live = orders.publishCreated(tenant, UUID.randomUUID());
            await().atMost(DELIVERY).until(() -> onSecond.eventIdsOfOrders().contains(live));

            List<String> expected = new ArrayList<>(missed);
            expected.add(live);
            assertThat(onFirst.eventIdsOfOrders()).containsExactlyInAnyOrderElementsOf(seen);
            assertThat(onSecond.eventIdsOfOrders()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(onSecond.events()).noneMatch(event -> "resync".equals(event.event()));
        }
    }

    /** One api-service process on its own port, following the test topic. */
    private record Replica(String name, Process process, int port) {

        static Replica start(String name) throws IOException {
            int port = freePort();
            Path log = Path.of("target", "order-stream-replica-" + name + ".log");
            ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-Xmx256m", "-jar",
                    Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "QUARKUS_HTTP_HOST", "127.0.0.1",
                    "RAGLINE_ORDER_STREAM_TOPIC", TOPIC,
                    "KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP,
                    "RAGLINE_JWT_PUBLIC_KEY", "file:" + new File("../.ragline/keys/jwt-public.pem").getAbsolutePath(),
                    // Replicas seal stream ids with a key derived from the signing key they share.
                    "RAGLINE_JWT_PRIVATE_KEY", "file:" + new File("../.ragline/keys/jwt-private.pem").getAbsolutePath(),
                    // The stream needs no tables; the shared schema is migrated by the other tests.
                    "QUARKUS_FLYWAY_MIGRATION_MIGRATE_AT_START", "false",
                    "RAGLINE_DB_URL",
                    "postgresql://127.0.0.1:5432/" + System.getenv().getOrDefault("RAGLINE_TEST_DB", "ragline_test")));
            return new Replica(name, builder.start(), port);
        }

        void awaitLive() {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(process.isAlive()).as("replica %s is running (see target/order-stream-replica-%s.log)", name, name)
                        .isTrue();
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live"))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        }

        URI stream() {
            return URI.create("http://127.0.0.1:" + port + "/v1/events/orders");
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        private static String javaCommand() {
            return ProcessHandle.current().info().command().orElse("java");
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
