package dev.ragline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** The objects point at each other by name and label: every reference lands on something that exists. */
class WiringTest {

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyServiceSelectsTheDeploymentOfItsNameAndTargetsADeclaredContainerPort(String kustomization) {
        List<Service> services = Kustomizations.objects(kustomization, Service.class);
        assertThat(services).isNotEmpty();
        for (Service service : services) {
            String name = service.getMetadata().getName();
            Deployment deployment = deployment(kustomization, name);
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(service.getSpec().getSelector()).as(kustomization + " Service " + name + " selector").isNotEmpty();
            assertThat(podLabels).as(kustomization + " pods of Deployment " + name)
                    .containsAllEntriesOf(service.getSpec().getSelector());
            List<ContainerPort> ports = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                    .flatMap(c -> c.getPorts().stream()).toList();
            for (ServicePort port : service.getSpec().getPorts()) {
                var target = port.getTargetPort();
                assertThat(ports).as(kustomization + " Service " + name + " targetPort " + target)
                        .anyMatch(p -> target.getStrVal() != null ? target.getStrVal().equals(p.getName())
                                : target.getIntVal().equals(p.getContainerPort()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyIngressRouteReachesAPortOfAnExistingService(String kustomization) {
        List<Ingress> ingresses = Kustomizations.objects(kustomization, Ingress.class);
        assertThat(ingresses).isNotEmpty();
        for (Ingress ingress : ingresses) {
            assertThat(ingress.getSpec().getRules()).isNotEmpty();
            for (var rule : ingress.getSpec().getRules()) {
                assertThat(rule.getHttp().getPaths()).as(kustomization + " host " + rule.getHost()).isNotEmpty();
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    IngressServiceBackend backend = path.getBackend().getService();
                    String where = kustomization + " " + rule.getHost() + path.getPath() + " -> " + backend.getName();
                    Service service = Kustomizations.objects(kustomization, Service.class).stream()
                            .filter(s -> s.getMetadata().getName().equals(backend.getName())).findFirst().orElse(null);
                    assertThat(service).as(where + ": no such Service").isNotNull();
                    var port = backend.getPort();
                    assertThat(service.getSpec().getPorts()).as(where + " port " + port)
                            .anyMatch(p -> port.getName() != null ? port.getName().equals(p.getName())
                                    : port.getNumber().equals(p.getPort()));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyAutoscalerTargetsAnExistingDeploymentWithinBounds(String kustomization) {
        List<HorizontalPodAutoscaler> autoscalers = Kustomizations.objects(kustomization, HorizontalPodAutoscaler.class);
        assertThat(autoscalers).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("api-service", "llm-service", "worker-service", "ingest-service");
        for (HorizontalPodAutoscaler hpa : autoscalers) {
            var target = hpa.getSpec().getScaleTargetRef();
            String where = kustomization + " HPA " + hpa.getMetadata().getName();
            assertThat(target.getKind()).as(where).isEqualTo("Deployment");
            assertThat(target.getApiVersion()).as(where).isEqualTo("apps/v1");
            Deployment deployment = deployment(kustomization, target.getName());
            assertThat(hpa.getSpec().getMinReplicas()).as(where + " minReplicas <= maxReplicas")
                    .isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
            assertThat(deployment.getSpec().getReplicas()).as(where + ": the Deployment's replicas within the HPA's range")
                    .isBetween(hpa.getSpec().getMinReplicas(), hpa.getSpec().getMaxReplicas());
            assertThat(hpa.getSpec().getMetrics()).as(where + " metrics").anyMatch(m -> m.getResource() != null
                    && "cpu".equals(m.getResource().getName()));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyDisruptionBudgetSelectsThePodsOfExactlyOneDeployment(String kustomization) {
        List<PodDisruptionBudget> budgets = Kustomizations.objects(kustomization, PodDisruptionBudget.class);
        assertThat(budgets).extracting(b -> b.getMetadata().getName())
                .containsExactlyInAnyOrder("api-service", "llm-service", "worker-service", "ingest-service", "web");
        for (PodDisruptionBudget budget : budgets) {
            LabelSelector selector = budget.getSpec().getSelector();
            String where = kustomization + " PDB " + budget.getMetadata().getName();
            assertThat(selector.getMatchExpressions()).as(where + ": matchLabels only").isNullOrEmpty();
            assertThat(selector.getMatchLabels()).as(where).isNotEmpty();
            assertThat(Kustomizations.objects(kustomization, Deployment.class))
                    .as(where + " selects the pods of one Deployment")
                    .filteredOn(d -> d.getSpec().getTemplate().getMetadata().getLabels()
                            .entrySet().containsAll(selector.getMatchLabels().entrySet()))
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyConfigMapAPodReadsIsRendered(String kustomization) {
        List<String> configMaps = Kustomizations.objects(kustomization, ConfigMap.class).stream()
                .map(c -> c.getMetadata().getName()).toList();
        Kustomizations.podTemplates(kustomization).forEach((name, pod) -> {
            for (Container c : pod.getSpec().getContainers()) {
                c.getEnvFrom().stream().filter(e -> e.getConfigMapRef() != null)
                        .forEach(e -> assertThat(configMaps).as(name).contains(e.getConfigMapRef().getName()));
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null)
                        .forEach(e -> assertThat(configMaps).as(name + " " + e.getName())
                                .contains(e.getValueFrom().getConfigMapKeyRef().getName()));
            }
            pod.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
                    .forEach(v -> assertThat(configMaps).as(name + " volume " + v.getName())
                            .contains(v.getConfigMap().getName()));
        });
    }

    private static Deployment deployment(String kustomization, String name) {
        return Kustomizations.objects(kustomization, Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(kustomization + ": no Deployment " + name));
    }
}
