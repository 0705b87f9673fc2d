package dev.ragline.worker.infrastructure;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/** worker-service reaches the real PostgreSQL, Redis and Kafka of the local stack, as it does in production. */
@QuarkusTest
@TestProfile(KafkaProbeProfile.class)
class LocalStackConnectionsTest {

    @Inject
    Pool database;

    @Inject
    RedisDataSource redis;

    @Inject
    KafkaRoundTrip kafka;

    @Test
    void pgvector_computes_a_distance_in_the_service_database() {
        double distance = database.query("SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector AS distance")
                .execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getDouble("distance");

        assertThat(distance).isEqualTo(2.0);
    }

    @Test
    void a_value_written_to_redis_reads_back() {
        String key = "ragline:test:worker:" + UUID.randomUUID();
        redis.value(String.class).setex(key, 60, "round trip");

        assertThat(redis.value(String.class).get(key)).isEqualTo("round trip");
    }

    @Test
    void a_message_sent_through_reactive_messaging_comes_back_from_the_broker() {
        String probe = UUID.randomUUID().toString();
        kafka.send(probe);

        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.hasReceived(probe));
    }

    @Test
    void readiness_reports_postgres_redis_and_kafka_up() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check",
                        "Redis connection health check", "Kafka connection health check"));
    }
}
