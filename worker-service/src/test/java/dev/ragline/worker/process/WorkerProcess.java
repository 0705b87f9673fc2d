package dev.ragline.worker.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged worker-service ({@code target/quarkus-app/quarkus-run.jar}) as a real child process,
 * on the test database and the topics, tenant and consumer groups the test gives it.
 */
public final class WorkerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Map<String, String> properties;
    private final Path log;
    private final int port;
    private Process process;

    public WorkerProcess(String name, Map<String, String> properties) {
        this.properties = properties;
        this.log = Path.of("target", "it-" + name + ".log");
        this.port = freePort();
    }

    /**
     * Settings that give a worker process topics, consumer groups and a relay tenant of the test's own,
     * so it neither reads nor publishes anything another test (or a running stack) owns.
     */
    public static Map<String, String> isolated(String run, java.util.UUID tenant) {
        return new java.util.HashMap<>(Map.of(
                "ragline.topics.orders", ordersTopicOf(run),
                "ragline.topics.notifications", "ragline.test.worker.it." + run + ".notifications",
                "ragline.relay.tenants", tenant.toString(),
                "mp.messaging.incoming.order-notifications.group.id", "it-" + run + "-notifications",
                "mp.messaging.incoming.order-webhooks.group.id", "it-" + run + "-webhooks"));
    }

    public static String ordersTopicOf(String run) {
        return "ragline.test.worker.it." + run + ".orders";
    }

    public WorkerProcess start() {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: package the module first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.profile=test", "-Dquarkus.http.port=" + port));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toString()));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker-service exited at start-up; see " + log);
            }
            return isLive();
        });
        return this;
    }

    /** SIGKILL: no shutdown hook runs, no transaction commits, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private boolean isLive() {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url("/q/health/live"))).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
