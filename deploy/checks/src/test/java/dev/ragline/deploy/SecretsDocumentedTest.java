package dev.ragline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;

/**
 * The operator creates every Secret by hand (README.md, "Secrets"): each Secret key a pod reads must be in that
 * table, on a row that names both the Secret and the key.
 */
class SecretsDocumentedTest {

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void everySecretKeyAPodReadsIsDocumentedInTheReadme(String kustomization) throws IOException {
        List<String> rows = Files.readAllLines(Kustomizations.root().resolve("deploy/kubernetes/README.md")).stream()
                .filter(line -> line.startsWith("|")).toList();
        Set<String> referenced = referencedSecretKeys(kustomization);
        assertThat(referenced).as("the services read their passwords and keys from Secrets")
                .contains("ragline-db/RAGLINE_DB_PASSWORD", "ragline-jwt/jwt-private.pem");
        for (String ref : referenced) {
            String secret = ref.substring(0, ref.indexOf('/'));
            String key = ref.substring(ref.indexOf('/') + 1);
            assertThat(rows).as(kustomization + ": README.md has a table row naming `" + secret + "` and `" + key + "`")
                    .anyMatch(row -> row.contains("`" + secret + "`") && row.contains("`" + key + "`"));
        }
    }

    /** secret/key for every secretKeyRef and every item of a secret volume; whole-Secret references are refused. */
    private static Set<String> referencedSecretKeys(String kustomization) {
        Set<String> keys = new TreeSet<>();
        Kustomizations.podTemplates(kustomization).forEach((name, pod) -> {
            for (Container c : pod.getSpec().getContainers()) {
                assertThat(c.getEnvFrom()).as(name + ": envFrom a whole Secret hides which keys it needs")
                        .noneMatch(e -> e.getSecretRef() != null);
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .map(e -> e.getValueFrom().getSecretKeyRef())
                        .forEach(ref -> keys.add(ref.getName() + "/" + ref.getKey()));
            }
            pod.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> {
                assertThat(v.getSecret().getItems()).as(name + " volume " + v.getName() + " lists its keys").isNotEmpty();
                v.getSecret().getItems().forEach(item -> keys.add(v.getSecret().getSecretName() + "/" + item.getKey()));
            });
        });
        return keys;
    }
}
