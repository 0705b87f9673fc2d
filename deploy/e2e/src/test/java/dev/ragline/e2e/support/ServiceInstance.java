package dev.ragline.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One running service process: the packaged jar, on its own port. */
public final class ServiceInstance {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Service service;
    private final int replica;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceInstance(Service service, int replica, int port, Path log, Process process) {
        this.service = service;
        this.replica = replica;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static ServiceInstance start(Path root, Service service, int replica, int port, Map<String, String> env,
            List<String> systemProperties, Path logDir) throws IOException {
        Path jar = root.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw package -DskipTests, "
                    + "or run this module with -am)");
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve(service.module() + "-" + replica + ".log");
        List<String> command = new ArrayList<>(List.of(javaCommand(), service.heap(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(systemProperties);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                // Relative paths in the services' defaults (.ragline/keys) resolve against the checkout, as in `ragline up`.
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("RAGLINE_HTTP_HOST", "127.0.0.1");
        return new ServiceInstance(service, replica, port, log, builder.start());
    }

    public Service service() {
        return service;
    }

    /** 0-based replica number. */
    public int replica() {
        return replica;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, the instance itself, bypassing the front door. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** {@code host:port}, as nginx's $upstream_addr and .ragline/run/instances name it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status once the process has ended: 143 after a SIGTERM it honoured, 137 after SIGKILL. */
    public int exitCode() {
        return process.exitValue();
    }

    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited during start-up (exit " + process.exitValue()
                        + "); see " + log);
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(uri().resolve("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(300);
        }
        throw new IllegalStateException(this + " was not ready after " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook runs, open connections are simply cut, as when a pod or a machine dies. */
    public void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    /** SIGTERM and a graceful shutdown, SIGKILL after 20 s. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(20)) {
            kill();
        }
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String toString() {
        return service.module() + "#" + replica + " on :" + port;
    }
}
