package dev.ragline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;

class RenderingTest {

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyRenderedObjectIsAKindTheModelKnows(String kustomization) {
        assertThat(Kustomizations.render(kustomization))
                .as("objects of a kind or apiVersion fabric8 does not model (a typo, or a removed API)")
                .noneMatch(GenericKubernetesResource.class::isInstance);
        assertThat(Kustomizations.objects(kustomization, Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("api-service", "llm-service", "worker-service", "ingest-service", "web");
    }

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everyObjectIsInTheRaglineNamespace(String kustomization) {
        assertThat(Kustomizations.render(kustomization))
                .filteredOn(o -> !"Namespace".equals(o.getKind()))
                .extracting(HasMetadata::getMetadata)
                .allSatisfy(m -> assertThat(m.getNamespace()).as(m.getName()).isEqualTo("ragline"));
    }

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void noSecretIsInlined(String kustomization) {
        assertThat(Kustomizations.objects(kustomization, Secret.class))
                .as("Secrets are created by the operator (README.md), never rendered from the repository")
                .isEmpty();
    }
}
