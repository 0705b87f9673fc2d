package dev.ragline.worker.process;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged api-service (the reactor builds it before this module) as a real child process that
 * serves the order stream of the test's own topic: what a customer's browser connects to.
 */
final class ApiServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("../api-service/target/quarkus-app/quarkus-run.jar");

    private final Path log;
    private final int port = WorkerProcess.freePort();
    private final Process process;

    private ApiServiceProcess(String name, String ordersTopic) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build with -pl api-service,worker-service");
        }
        log = Path.of("target", "it-" + name + "-api.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        var env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("RAGLINE_ORDER_STREAM_TOPIC", ordersTopic);
        env.put("RAGLINE_JWT_PUBLIC_KEY", "file:" + new File("../.ragline/keys/jwt-public.pem").getAbsolutePath());
        env.put("RAGLINE_JWT_PRIVATE_KEY", "file:" + new File("../.ragline/keys/jwt-private.pem").getAbsolutePath());
        // The stream needs no tables of api-service's own; the test database is migrated by its own tests.
        env.put("QUARKUS_FLYWAY_MIGRATION_MIGRATE_AT_START", "false");
        env.put("RAGLINE_DB_URL",
                "postgresql://127.0.0.1:5432/" + System.getenv().getOrDefault("RAGLINE_TEST_DB", "ragline_test"));
        process = builder.start();
    }

    static ApiServiceProcess start(String name, String ordersTopic) throws IOException {
        ApiServiceProcess api = new ApiServiceProcess(name, ordersTopic);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!api.process.isAlive()) {
                throw new IllegalStateException("api-service exited at start-up; see " + api.log);
            }
            try {
                return http.send(HttpRequest.newBuilder(api.uri("/q/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
        return api;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
