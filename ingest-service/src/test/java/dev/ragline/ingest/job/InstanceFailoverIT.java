package dev.ragline.ingest.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ragline.ingest.support.LongText;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;

/**
 * Two real ingest-service processes (the packaged jar): the one running a job is killed with SIGKILL
 * mid-way, and the other one finishes the job once the dead one's lease runs out.
 */
class InstanceFailoverIT {

    private static final String TOPIC = "ragline.test.rake.jobs.failover";

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void a_job_whose_instance_is_killed_mid_way_is_finished_by_another_instance() throws Exception {
        String tenant = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        String token = token(tenant);
        int firstPort = freePort();
        Process first = start(firstPort, "first");
        awaitReady(firstPort);

        String jobId = given().port(firstPort).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("source", "file_upload", "files",
                        // Long enough (about 500 chunks, seconds of embedding) that the kill below lands mid-way:
                        // with 500 paragraphs the job could finish between one status poll and the kill.
                        List.of(Map.of("filename", "operations-manual.txt", "content", LongText.paragraphs(3000)))))
                .post("/api/v1/jobs").then().statusCode(202).extract().path("job_id");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> "EMBEDDING".equals(status(firstPort, token, jobId)));

        first.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, the lease is simply never renewed
        first.waitFor();

        int secondPort = freePort();
        start(secondPort, "second");
        awaitReady(secondPort);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> "COMPLETED".equals(status(secondPort, token, jobId)));

        var job = given().port(secondPort).auth().oauth2(token).get("/api/v1/jobs/" + jobId).then().extract().jsonPath();
        assertThat(job.getInt("attempts")).isEqualTo(2);
        var documents = given().port(secondPort).auth().oauth2(token).get("/api/v1/documents").then().extract()
                .jsonPath();
        assertThat(documents.getList("items.source_id")).containsExactly("operations-manual.txt");
        assertThat(documents.getInt("items[0].chunk_count")).isEqualTo(job.getInt("progress.chunks_total"));
    }

    private static String status(int port, String token, String jobId) {
        return given().port(port).auth().oauth2(token).get("/api/v1/jobs/" + jobId).then().statusCode(200)
                .extract().path("status");
    }

    private Process start(int port, String name) throws IOException {
        Path moduleDir = Path.of("").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx768m",
                "-Dquarkus.profile=test", "-Dquarkus.http.port=" + port, "-Dquarkus.http.test-port=" + port,
                // A topic of their own, so no other test instance of the service (the packaged app a
                // @QuarkusIntegrationTest keeps running) takes the job first. The %test prefix matters:
                // under the test profile a profiled property wins over an unprofiled system property.
                "-D%test.mp.messaging.outgoing.rake-jobs-out.topic=" + TOPIC,
                "-D%test.mp.messaging.incoming.rake-jobs-in.topic=" + TOPIC,
                "-jar", "target/quarkus-app/quarkus-run.jar")
                .directory(moduleDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(new File("target/failover-" + name + ".log"))
                .start();
        processes.add(process);
        return process;
    }

    private static void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> given().port(port).get("/q/health/ready").statusCode() == 200);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String token(String tenant) throws Exception {
        String pem = Files.readString(Path.of("../.ragline/keys/jwt-private.pem"))
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        return Jwt.issuer("https://ragline.dev").subject("ops").upn("ops@" + tenant + ".example")
                .claim("tenant_id", tenant).groups(Set.of("admin")).expiresIn(1800).sign(key);
    }
}
