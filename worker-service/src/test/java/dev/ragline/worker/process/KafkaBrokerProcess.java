package dev.ragline.worker.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker of this test's own, started from the jars {@code ./ragline stack up} fetched into
 * {@code .ragline/kafka/libs} (the way deploy/local/stack.sh starts the shared one), so a test can
 * stop and restart it without disturbing the shared broker.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Path LIBS = Path.of("../.ragline/kafka/libs");
    private static final Path LOG4J = Path.of("../deploy/local/kafka/log4j2.properties");

    private final Path home;
    private final Path config;
    private final int port;
    private Process process;

    public KafkaBrokerProcess() throws IOException {
        if (!Files.isDirectory(LIBS)) {
            throw new IllegalStateException(LIBS.toAbsolutePath() + " is missing: run ./ragline stack up first");
        }
        this.home = Files.createTempDirectory(Path.of("target"), "kafka-it-").toAbsolutePath();
        this.port = WorkerProcess.freePort();
        int controllerPort = WorkerProcess.freePort();
        this.config = home.resolve("server.properties");
        String properties = Files.readString(Path.of("../deploy/local/kafka/server.properties"))
                .replace("9093", Integer.toString(controllerPort))
                .replace("9092", Integer.toString(port))
                + "\nlog.dirs=" + home.resolve("data") + "\n";
        Files.writeString(config, properties);
        String clusterId = run(List.of("kafka.tools.StorageTool", "random-uuid")).trim();
        run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public KafkaBrokerProcess start() throws IOException {
        List<String> command = java();
        command.addAll(List.of("kafka.Kafka", config.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("stdout.log").toFile())).start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the test broker exited; see " + home);
            }
            return portOpen() && Files.readString(home.resolve("server.log")).contains("Kafka Server started");
        });
        return this;
    }

    /** Stops the broker the way an outage would: abruptly (SIGKILL). */
    public void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> !portOpen());
        try {
            Files.writeString(home.resolve("server.log"), "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean portOpen() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> java() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-Dkafka.logs.dir=" + home,
                "-Dlog4j2.configurationFile=" + LOG4J.toAbsolutePath(),
                "-cp", LIBS.toAbsolutePath() + "/*"));
    }

    private String run(List<String> arguments) throws IOException {
        List<String> command = java();
        command.addAll(arguments);
        Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes());
        try {
            if (tool.waitFor() != 0) {
                throw new IllegalStateException("StorageTool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return output.lines().reduce((first, second) -> second).orElse("");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
