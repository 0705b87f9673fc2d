package dev.ragline.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * nginx in front of the instances, from the same template as `./ragline up`
 * ({@code deploy/local/nginx.conf.template}), rendered into its own directory and run in the
 * foreground as a child process on a free port.
 */
public final class FrontDoor {

    public static final String TEMPLATE = "deploy/local/nginx.conf.template";

    private final int port;
    private final Path dir;
    private final Process process;

    private FrontDoor(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /** Renders the template for these instances and starts nginx on {@code port}; returns once it answers. */
    static FrontDoor start(Path root, int port, Map<Service, List<ServiceInstance>> instances, Path dir) throws IOException {
        Path run = dir.resolve("run");
        Path logs = dir.resolve("logs");
        Files.createDirectories(run);
        Files.createDirectories(logs);
        Path config = run.resolve("nginx.conf");
        Files.writeString(config, render(Files.readString(root.resolve(TEMPLATE)), "127.0.0.1:" + port, run, logs,
                root.resolve("deploy/web"), addresses(instances)));
        Process process = new ProcessBuilder(nginx(), "-p", run.toString(), "-c", config.toString(),
                "-e", logs.resolve("nginx-error.log").toString(), "-g", "daemon off; " + workerUser(root.resolve("deploy/web")))
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("nginx.out").toFile())
                .start();
        FrontDoor door = new FrontDoor(port, dir, process);
        door.awaitAnswering(Duration.ofSeconds(15));
        return door;
    }

    /**
     * The template with its placeholders filled in; {@code ./ragline} does the same with sed. Each
     * upstream gets one {@code server} line per address.
     */
    public static String render(String template, String listen, Path runDir, Path logDir, Path webRoot,
            Map<Service, List<String>> addresses) {
        String config = template.replace("@LISTEN@", listen)
                .replace("@RUN_DIR@", runDir.toAbsolutePath().toString())
                .replace("@LOG_DIR@", logDir.toAbsolutePath().toString())
                .replace("@WEB_ROOT@", webRoot.toAbsolutePath().toString())
                .replace("@MIME_TYPES@", "/etc/nginx/mime.types");
        for (Service service : Service.values()) {
            String servers = addresses.getOrDefault(service, List.of()).stream()
                    .map(address -> "        server " + address + " max_fails=1 fail_timeout=5s;")
                    .collect(Collectors.joining("\n"));
            config = config.replace("@" + service.name() + "_SERVERS@", servers);
        }
        return config;
    }

    private static Map<Service, List<String>> addresses(Map<Service, List<ServiceInstance>> instances) {
        Map<Service, List<String>> addresses = new EnumMap<>(Service.class);
        instances.forEach((service, list) -> addresses.put(service, list.stream().map(ServiceInstance::address).toList()));
        return addresses;
    }

    /**
     * nginx started as root runs its worker as {@code nobody}, which cannot read a checkout in a 0700
     * directory (what {@code mktemp -d} makes); the worker then runs as the web root's owner instead.
     */
    static String workerUser(Path webRoot) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "";
        }
        PosixFileAttributes attributes = Files.readAttributes(webRoot, PosixFileAttributes.class);
        return "user " + attributes.owner().getName() + " " + attributes.group().getName() + ";";
    }

    /** Debian installs nginx to /usr/sbin, which a non-root PATH often lacks. */
    static String nginx() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("nginx is not installed: apt-get install nginx (./ragline up installs it)");
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, the one origin a browser uses. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The access log: one line per request, with the upstream instance that served it ({@code upstream=host:port}). */
    public Path accessLog() {
        return dir.resolve("logs/nginx-access.log");
    }

    public Path errorLog() {
        return dir.resolve("logs/nginx-error.log");
    }

    /** The rendered configuration. */
    public Path config() {
        return dir.resolve("run/nginx.conf");
    }

    private void awaitAnswering(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "nginx exited (" + process.exitValue() + "): " + read(dir.resolve("logs/nginx.out"))
                                + read(errorLog()));
            }
            try {
                if (http.send(HttpRequest.newBuilder(uri().resolve("/healthz")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("nginx did not answer on :" + port + " within " + timeout);
    }

    void stop() {
        // SIGTERM: nginx's fast shutdown, which also ends its worker.
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
