package dev.ragline.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole system as `./ragline up` runs it, for black-box tests: the four packaged service jars
 * (N replicas each, on free ports) against the caller's {@code RAGLINE_TEST_DB}, behind nginx
 * rendered from the same template, on a free port.
 *
 * <pre>
 * try (RaglineSystem system = RaglineSystem.builder().replicas(2).demoData().start()) {
 *     given().baseUri(system.frontDoor().toString()).get("/v1/products") ...
 *     system.instances(Service.API).get(0).kill();
 * }
 * </pre>
 *
 * Or {@link #shared()}: one single-replica system per test JVM, started by the first caller and
 * stopped when the JVM exits, with the demo data loaded (tenants demo and globex, users
 * admin@, staff@, customer@&lt;tenant&gt;.test, password {@link #DEMO_PASSWORD}).
 *
 * Kafka topics and consumer groups get a prefix of their own ({@code ragline.e2e.<db>.}), so these
 * instances never share work with a running `./ragline up` or another checkout's tests.
 */
public final class RaglineSystem implements AutoCloseable {

    public static final String DEMO_PASSWORD = "ragline-demo";
    private static final Duration READY = Duration.ofSeconds(180);

    private static RaglineSystem shared;

    private final Path root;
    private final String database;
    private final Map<Service, List<ServiceInstance>> instances;
    private final FrontDoor frontDoor;

    private RaglineSystem(Path root, String database, Map<Service, List<ServiceInstance>> instances, FrontDoor frontDoor) {
        this.root = root;
        this.database = database;
        this.instances = instances;
        this.frontDoor = frontDoor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One single-replica system with the demo data, shared by every test class of this JVM. */
    public static synchronized RaglineSystem shared() {
        if (shared == null) {
            shared = builder().demoData().start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "ragline-e2e-stop"));
        }
        return shared;
    }

    /** {@code http://127.0.0.1:PORT} of the front door: the base URL a browser or client uses. */
    public URI frontDoor() {
        return frontDoor.uri();
    }

    public FrontDoor frontDoorProcess() {
        return frontDoor;
    }

    /** The running instances of a service, replica 0 first. */
    public List<ServiceInstance> instances(Service service) {
        return Collections.unmodifiableList(instances.get(service));
    }

    public ServiceInstance instance(Service service, int replica) {
        return instances.get(service).get(replica);
    }

    /** The Kafka client id of the worker instance on {@code port} for one of its incoming channels. */
    public static String kafkaClientId(int port, String channel) {
        return "e2e-worker-" + port + "-" + channel;
    }

    /** The database the services use ({@code RAGLINE_TEST_DB}, default ragline_test). */
    public String database() {
        return database;
    }

    /** The checkout the jars, keys and template come from. */
    public Path root() {
        return root;
    }

    /** Signs in through the front door (a demo user: {@code customer@demo.test} ...) and returns the access token. */
    public String login(String tenant, String email) {
        return io.restassured.RestAssured.given().baseUri(frontDoor().toString()).contentType("application/json")
                .body(java.util.Map.of("tenant", tenant, "email", email, "password", DEMO_PASSWORD))
                .post("/v1/auth/login").then().statusCode(200).extract().path("access_token");
    }

    /** POST /v1/auth/stream-session through the front door: the {@code ragline_stream=<jwt>} a browser would send back. */
    public String streamCookie(String accessToken) {
        String setCookie = io.restassured.RestAssured.given().baseUri(frontDoor().toString()).auth().oauth2(accessToken)
                .post("/v1/auth/stream-session").then().statusCode(204).extract().header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** Runs deploy/local/demo-data.sh against this system (idempotent). */
    public void loadDemoData() {
        Path log = root.resolve("deploy/e2e/target/e2e/demo-data.log");
        ProcessBuilder builder = new ProcessBuilder(root.resolve("deploy/local/demo-data.sh").toString())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("RAGLINE_API_URL", instance(Service.API, 0).uri().toString());
        builder.environment().put("RAGLINE_DEMO_DB", database);
        builder.environment().put("RAGLINE_DEMO_PASSWORD", DEMO_PASSWORD);
        try {
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("demo data failed: " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (frontDoor != null) {
            frontDoor.stop();
        }
        // Upstream services last, in the reverse of `ragline up`'s start order.
        List<Service> order = new ArrayList<>(List.of(Service.values()));
        Collections.reverse(order);
        order.forEach(service -> instances.getOrDefault(service, List.of()).forEach(ServiceInstance::stop));
    }

    public static final class Builder {

        private int replicas = 1;
        private final Map<Service, Integer> replicasOf = new EnumMap<>(Service.class);
        private boolean demoData;
        private final Map<Service, Map<String, String>> env = new EnumMap<>(Service.class);

        private Builder() {
        }

        /** Instances per service (default 1). */
        public Builder replicas(int replicas) {
            if (replicas < 1) {
                throw new IllegalArgumentException("replicas must be at least 1");
            }
            this.replicas = replicas;
            return this;
        }

        /** Instances of one service (overrides {@link #replicas(int)} for it). */
        public Builder replicas(Service service, int replicas) {
            if (replicas < 1) {
                throw new IllegalArgumentException("replicas must be at least 1");
            }
            replicasOf.put(service, replicas);
            return this;
        }

        /** An environment variable for every instance of a service (e.g. a shorter heartbeat). */
        public Builder env(Service service, String name, String value) {
            env.computeIfAbsent(service, s -> new HashMap<>()).put(name, value);
            return this;
        }

        /** Load deploy/local/demo-data.sh once everything is ready. */
        public Builder demoData() {
            this.demoData = true;
            return this;
        }

        public RaglineSystem start() {
            Path root = root();
            String database = System.getenv().getOrDefault("RAGLINE_TEST_DB", "ragline_test");
            Path dir = root.resolve("deploy/e2e/target/e2e/run-" + System.currentTimeMillis());
            int frontDoorPort = Ports.free();
            Map<Service, List<ServiceInstance>> instances = new EnumMap<>(Service.class);
            RaglineSystem system = null;
            try {
                Map<String, String> common = commonEnv(root, database, frontDoorPort);
                String topics = "ragline.e2e." + database + ".";
                for (Service service : Service.values()) {
                    List<ServiceInstance> list = new ArrayList<>();
                    instances.put(service, list);
                    Map<String, String> serviceEnv = new HashMap<>(common);
                    serviceEnv.putAll(env.getOrDefault(service, Map.of()));
                    for (int replica = 0; replica < replicasOf.getOrDefault(service, replicas); replica++) {
                        int port = Ports.free();
                        List<String> properties = new ArrayList<>(ownTopics(service, topics));
                        properties.addAll(ownKafkaClientIds(service, port));
                        list.add(ServiceInstance.start(root, service, replica, port, serviceEnv, properties,
                                dir.resolve("logs")));
                    }
                }
                for (List<ServiceInstance> list : instances.values()) {
                    list.forEach(instance -> instance.awaitReady(READY));
                }
                FrontDoor door = FrontDoor.start(root, frontDoorPort, instances, dir.resolve("nginx"));
                system = new RaglineSystem(root, database, instances, door);
                if (demoData) {
                    system.loadDemoData();
                }
                return system;
            } catch (IOException | RuntimeException e) {
                if (system != null) {
                    system.close();
                } else {
                    new RaglineSystem(root, database, instances, null).close();
                }
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }

        /** What `./ragline up` passes in start_service, with the test database and the front door as peers' base URL. */
        private static Map<String, String> commonEnv(Path root, String database, int frontDoorPort) throws IOException {
            Path keys = root.resolve(".ragline/keys");
            for (String key : List.of("jwt-public.pem", "jwt-private.pem", "rake-secrets.key")) {
                if (!Files.isRegularFile(keys.resolve(key))) {
                    throw new IllegalStateException(
                            keys.resolve(key) + " is missing: ./ragline test (or up) generates the dev keys");
                }
            }
            String frontDoor = "http://127.0.0.1:" + frontDoorPort;
            Map<String, String> env = new HashMap<>();
            env.put("RAGLINE_JWT_PUBLIC_KEY", "file:" + keys.resolve("jwt-public.pem"));
            env.put("RAGLINE_JWT_PRIVATE_KEY", "file:" + keys.resolve("jwt-private.pem"));
            env.put("RAKE_SECRETS_KEY", Files.readString(keys.resolve("rake-secrets.key")).strip());
            env.put("RAKE_EDGAR_USER_AGENT", "RAGline e2e tests dev@ragline.dev");
            env.put("RAGLINE_DB_URL", "postgresql://127.0.0.1:5432/" + database);
            // llm-service reaches api-service and ingest-service through the front door, balanced like any client.
            env.put("RAGLINE_API_BASE_URL", frontDoor);
            env.put("RAGLINE_INGEST_BASE_URL", frontDoor);
            env.put("RAGLINE_CORS_ORIGINS", frontDoor + ",http://localhost:" + frontDoorPort);
            return env;
        }

        private static List<String> ownTopics(Service service, String prefix) {
            return switch (service) {
                case API -> List.of("-Dragline.order-stream.topic=" + prefix + "orders");
                case WORKER -> List.of(
                        "-Dragline.topics.orders=" + prefix + "orders",
                        "-Dragline.topics.products=" + prefix + "products",
                        "-Dragline.topics.notifications=" + prefix + "notifications",
                        "-Dmp.messaging.incoming.order-notifications.group.id=" + prefix + "worker-notifications",
                        "-Dmp.messaging.incoming.order-webhooks.group.id=" + prefix + "worker-webhooks");
                case LLM -> List.of(
                        "-Dmp.messaging.incoming.products.topic=" + prefix + "products",
                        "-Dmp.messaging.incoming.products.dead-letter-queue.topic=" + prefix + "products.dlq",
                        "-Dmp.messaging.incoming.products.group.id=" + prefix + "llm-service-catalogue",
                        "-Dmp.messaging.outgoing.chat-tools.topic=" + prefix + "chat_tools");
                case INGEST -> List.of(
                        "-Dmp.messaging.outgoing.rake-jobs-out.topic=" + prefix + "rake.jobs",
                        "-Dmp.messaging.incoming.rake-jobs-in.topic=" + prefix + "rake.jobs",
                        "-Dmp.messaging.incoming.rake-jobs-in.group.id=" + prefix + "ingest-service");
            };
        }

        /**
         * Worker consumers named after their instance ({@link #kafkaClientId}), so a test can tell this replica's
         * group member from another's, including a member a process killed earlier in the run left behind.
         */
        private static List<String> ownKafkaClientIds(Service service, int port) {
            if (service != Service.WORKER) {
                return List.of();
            }
            return List.of("order-notifications", "order-webhooks").stream()
                    .map(channel -> "-Dmp.messaging.incoming." + channel + ".client.id=" + kafkaClientId(port, channel))
                    .toList();
        }

        /** The checkout: failsafe passes it as ragline.root; otherwise two levels above deploy/e2e. */
        private static Path root() {
            String configured = System.getProperty("ragline.root");
            Path root = configured != null && !configured.isBlank() ? Path.of(configured)
                    : Path.of("").toAbsolutePath().getParent().getParent();
            if (!Files.isRegularFile(root.resolve("ragline"))) {
                throw new IllegalStateException(root + " is not a RAGline checkout (no ./ragline)");
            }
            return root.toAbsolutePath().normalize();
        }
    }
}
