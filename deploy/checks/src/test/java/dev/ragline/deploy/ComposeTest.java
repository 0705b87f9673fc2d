package dev.ragline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * deploy/compose/compose.yaml runs the same images with the same configuration as deploy/kubernetes/base: each
 * service gets the same environment variables (the same values, but for secrets and the origin) and listens on
 * the same port.
 */
class ComposeTest {

    /** Differ by design: the browser origin of the deployment. */
    private static final Set<String> PER_DEPLOYMENT = Set.of("RAGLINE_CORS_ORIGINS");

    @ParameterizedTest
    @ValueSource(strings = { "api-service", "llm-service", "worker-service", "ingest-service" })
    void aComposeServiceHasTheEnvironmentOfItsKubernetesDeployment(String name) throws IOException {
        Map<String, Object> compose = composeService(name);
        @SuppressWarnings("unchecked")
        Map<String, Object> composeEnv = (Map<String, Object>) compose.get("environment");
        Map<String, String> kubernetesEnv = kubernetesEnv(name);
        assertThat(new TreeMap<>(composeEnv).keySet()).as("compose " + name + " environment names")
                .isEqualTo(new TreeMap<>(kubernetesEnv).keySet());
        kubernetesEnv.forEach((key, value) -> {
            if (value != null && !PER_DEPLOYMENT.contains(key)) {
                assertThat(String.valueOf(composeEnv.get(key))).as("compose " + name + " " + key).isEqualTo(value);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "api-service", "llm-service", "worker-service", "ingest-service" })
    void aComposeServiceListensAndIsHealthCheckedOnTheKubernetesContainerPort(String name) throws IOException {
        Map<String, Object> compose = composeService(name);
        Container container = container(name);
        int port = container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow()
                .getContainerPort();
        assertThat((List<?>) compose.get("expose")).as("compose " + name + " expose").map(String::valueOf)
                .containsExactly(String.valueOf(port));
        @SuppressWarnings("unchecked")
        List<String> test = (List<String>) ((Map<String, Object>) compose.get("healthcheck")).get("test");
        assertThat(test).as("compose " + name + " healthcheck")
                .contains("http://127.0.0.1:" + port + container.getReadinessProbe().getHttpGet().getPath());
        assertThat(String.valueOf(compose.get("image"))).as("compose " + name + " image")
                .startsWith(container.getImage().substring(0, container.getImage().indexOf(':') + 1));
        assertThat(String.valueOf(composeFile().get("services").get("front-door").get("command")))
                .as("the compose front door's upstream for " + name).contains("server " + name + ":" + port + " ");
    }

    /** Literal values by name; null for a value from a Secret (compose takes it from deploy/compose/.env). */
    private static Map<String, String> kubernetesEnv(String name) {
        Map<String, String> env = new TreeMap<>();
        Container container = container(name);
        container.getEnvFrom().forEach(from -> {
            ConfigMap config = Kustomizations.objects("base", ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().equals(from.getConfigMapRef().getName())).findFirst()
                    .orElseThrow();
            env.putAll(config.getData());
        });
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValueFrom() == null ? var.getValue() : null);
        }
        return env;
    }

    private static Container container(String name) {
        return Kustomizations.objects("base", Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + name))
                .getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> composeService(String name) throws IOException {
        Map<String, Object> service = composeFile().get("services").get(name);
        assertThat(service).as("compose service " + name).isNotNull();
        return service;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Map<String, Object>>> composeFile() throws IOException {
        try (Reader in = Files.newBufferedReader(Kustomizations.root().resolve("deploy/compose/compose.yaml"))) {
            return (Map<String, Map<String, Map<String, Object>>>) new Yaml().load(in);
        }
    }
}
