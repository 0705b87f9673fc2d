package dev.ragline.e2e.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ragline.e2e.support.RaglineSystem;
import dev.ragline.e2e.support.Service;
import dev.ragline.e2e.support.ServiceInstance;

/**
 * A replica stopped the way Kubernetes stops a pod: SIGTERM, with the Deployments' QUARKUS_SHUTDOWN_TIMEOUT of
 * 25 s. {@link ServiceInstance#stop()} sends SIGKILL after 20 s, so a shutdown that waits out its timeout shows
 * as exit status 137 instead of 143.
 */
class GracefulShutdownIT {

    private static final String SHUTDOWN_TIMEOUT = "25s";
    private static final int EXITED_ON_SIGTERM = 143;
    private static final String CHANNEL = "order-notifications";

    private static RaglineSystem system;

    @BeforeAll
    static void start() {
        system = RaglineSystem.builder().replicas(Service.API, 2).replicas(Service.WORKER, 2).demoData()
                .env(Service.API, "QUARKUS_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT)
                .env(Service.WORKER, "QUARKUS_SHUTDOWN_TIMEOUT", SHUTDOWN_TIMEOUT)
                .start();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void a_stopping_api_replica_ends_its_open_order_streams_and_exits_without_waiting_out_the_timeout() throws Exception {
        ServiceInstance leaving = system.instance(Service.API, 0);
        String cookie = system.streamCookie(system.login("demo", "customer@demo.test"));
        try (SseLines stream = SseLines.open(leaving.uri().resolve("/v1/events/orders"), cookie)) {
            assertThat(stream.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> !stream.matching(":connected").isEmpty());

            leaving.stop();

            assertThat(leaving.exitCode()).as("exit status after SIGTERM; see %s", leaving.log())
                    .isEqualTo(EXITED_ON_SIGTERM);
            // The client is told the stream is over, so its EventSource reconnects (to another replica).
            await().atMost(Duration.ofSeconds(5)).until(stream::ended);
        }
        // The other replica still serves the stream a reconnecting client opens.
        try (SseLines resumed = SseLines.open(system.instance(Service.API, 1).uri().resolve("/v1/events/orders"),
                cookie)) {
            assertThat(resumed.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> !resumed.matching(":connected").isEmpty());
        }
    }

    @Test
    void a_stopping_worker_replica_leaves_its_consumer_groups_at_once_so_the_other_takes_its_partitions() {
        String group = "ragline.e2e." + system.database() + ".worker-notifications";
        ServiceInstance leaving = system.instance(Service.WORKER, 0);
        ServiceInstance staying = system.instance(Service.WORKER, 1);
        String leavingMember = RaglineSystem.kafkaClientId(leaving.port(), CHANNEL);
        String stayingMember = RaglineSystem.kafkaClientId(staying.port(), CHANNEL);
        try (Admin kafka = Admin.create(kafkaConfig())) {
            // Counted by name: a member another test's killed worker left behind stays until its session expires.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> memberClientIds(kafka, group).containsAll(Set.of(leavingMember, stayingMember)));

            leaving.stop();

            assertThat(leaving.exitCode()).as("exit status after SIGTERM; see %s", leaving.log())
                    .isEqualTo(EXITED_ON_SIGTERM);
            // Had it just vanished, the broker would keep its member until the 45 s session timeout expired.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Set<String> members = memberClientIds(kafka, group);
                return !members.contains(leavingMember) && members.contains(stayingMember);
            });
        }
    }

    private static Set<String> memberClientIds(Admin kafka, String group) throws Exception {
        Map<String, ConsumerGroupDescription> groups = kafka.describeConsumerGroups(List.of(group)).all().get();
        return groups.get(group).members().stream().map(MemberDescription::clientId).collect(Collectors.toSet());
    }

    private static Properties kafkaConfig() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        return config;
    }
}
