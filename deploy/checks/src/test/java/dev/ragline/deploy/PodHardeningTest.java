package dev.ragline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** What the restricted Pod Security Standard and a rolling update need from every pod RAGline runs. */
class PodHardeningTest {

    private static final java.util.Set<String> QUARKUS_SERVICES = java.util.Set.of("api-service", "llm-service",
            "worker-service", "ingest-service");

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyServiceHasStartupReadinessAndLivenessProbesOnQuarkusHealth(String kustomization) {
        for (Deployment deployment : Kustomizations.objects(kustomization, Deployment.class)) {
            String name = deployment.getMetadata().getName();
            for (Container c : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                String where = kustomization + " " + name + "/" + c.getName();
                boolean quarkus = QUARKUS_SERVICES.contains(name);
                assertProbe(where + " startupProbe", c, c.getStartupProbe(), quarkus ? "/q/health/started" : "/");
                assertProbe(where + " readinessProbe", c, c.getReadinessProbe(), quarkus ? "/q/health/ready" : "/");
                assertProbe(where + " livenessProbe", c, c.getLivenessProbe(), quarkus ? "/q/health/live" : "/");
            }
        }
        assertThat(Kustomizations.objects(kustomization, Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsAll(QUARKUS_SERVICES);
    }

    private static void assertProbe(String where, Container container, Probe probe, String path) {
        assertThat(probe).as(where).isNotNull();
        assertThat(probe.getHttpGet()).as(where + " httpGet").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(where + " path").isEqualTo(path);
        String port = probe.getHttpGet().getPort().getStrVal();
        Integer number = probe.getHttpGet().getPort().getIntVal();
        assertThat(container.getPorts()).as(where + " port " + probe.getHttpGet().getPort() + " is a declared container port")
                .anyMatch(p -> port != null ? port.equals(p.getName()) : number.equals(p.getContainerPort()));
    }

    /** CPU is requested but not limited (a CPU limit throttles the JIT and the event loops); memory is both. */
    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyContainerRequestsCpuAndMemoryAndLimitsMemoryAboveItsRequest(String kustomization) {
        Kustomizations.podTemplates(kustomization).forEach((name, pod) -> {
            for (Container c : pod.getSpec().getContainers()) {
                String where = kustomization + " " + name + "/" + c.getName();
                var resources = c.getResources();
                assertThat(resources).as(where + " resources").isNotNull();
                assertThat(resources.getRequests()).as(where + " requests").containsKeys("cpu", "memory");
                assertThat(resources.getLimits()).as(where + " limits").containsKey("memory");
                assertThat(resources.getLimits().get("memory").getNumericalAmount())
                        .as(where + " memory limit >= request")
                        .isGreaterThanOrEqualTo(resources.getRequests().get("memory").getNumericalAmount());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyContainerRunsAsNonRootOnAReadOnlyRootWithoutPrivilegesOrCapabilities(String kustomization) {
        Map<String, PodTemplateSpec> pods = Kustomizations.podTemplates(kustomization);
        assertThat(pods).containsKeys("api-service", "ragline-bootstrap");
        pods.forEach((name, pod) -> {
            PodSpec spec = pod.getSpec();
            assertThat(spec.getAutomountServiceAccountToken()).as(name + " automountServiceAccountToken").isFalse();
            for (Container c : spec.getContainers()) {
                String where = kustomization + " " + name + "/" + c.getName();
                var context = Optional.ofNullable(c.getSecurityContext());
                Boolean nonRoot = context.map(s -> s.getRunAsNonRoot())
                        .orElse(spec.getSecurityContext() == null ? null : spec.getSecurityContext().getRunAsNonRoot());
                assertThat(nonRoot).as(where + " runAsNonRoot").isTrue();
                assertThat(context).as(where + " securityContext").isPresent();
                assertThat(context.get().getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
                assertThat(context.get().getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
                assertThat(context.get().getCapabilities()).as(where + " capabilities").isNotNull();
                assertThat(context.get().getCapabilities().getDrop()).as(where + " capabilities.drop").contains("ALL");
                assertThat(context.get().getCapabilities().getAdd()).as(where + " capabilities.add").isNullOrEmpty();
            }
        });
    }

    /**
     * SIGTERM comes after the preStop sleep; then Quarkus drains for up to QUARKUS_SHUTDOWN_TIMEOUT. The kubelet
     * must not kill the pod before both are over (and the JVM has exited: 5 s).
     */
    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyServiceIsGivenTimeToDrainBeforeItIsKilled(String kustomization) {
        for (Deployment deployment : Kustomizations.objects(kustomization, Deployment.class)) {
            String name = deployment.getMetadata().getName();
            PodSpec spec = deployment.getSpec().getTemplate().getSpec();
            Container c = spec.getContainers().get(0);
            assertThat(c.getLifecycle()).as(kustomization + " " + name + " lifecycle").isNotNull();
            assertThat(c.getLifecycle().getPreStop()).as(name + " preStop").isNotNull();
            assertThat(c.getLifecycle().getPreStop().getSleep()).as(name + " preStop sleep").isNotNull();
            long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
            assertThat(preStop).as(name + " preStop sleep seconds").isPositive();
            long drain = QUARKUS_SERVICES.contains(name) ? shutdownTimeoutSeconds(c) : 0;
            assertThat(spec.getTerminationGracePeriodSeconds())
                    .as(kustomization + " " + name + " terminationGracePeriodSeconds >= preStop " + preStop
                            + " s + quarkus.shutdown.timeout " + drain + " s + 5 s")
                    .isGreaterThanOrEqualTo(preStop + drain + 5);
        }
    }

    private static long shutdownTimeoutSeconds(Container container) {
        String value = container.getEnv().stream().filter(e -> "QUARKUS_SHUTDOWN_TIMEOUT".equals(e.getName()))
                .map(e -> e.getValue()).findFirst().orElse(null);
        assertThat(value).as(container.getName() + ": QUARKUS_SHUTDOWN_TIMEOUT (without it Quarkus does not wait for requests)")
                .isNotBlank();
        return java.time.Duration.parse(value.matches("\\d+s") ? "PT" + value.toUpperCase() : value).toSeconds();
    }
}
