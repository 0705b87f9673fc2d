package dev.ragline.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * deploy/kubernetes rendered by {@code kubectl kustomize}, the way {@code kubectl apply -k} sees it, parsed into the
 * typed fabric8 model. Each kustomization is rendered once per test run.
 */
final class Kustomizations {

    /** The kustomizations users apply, relative to deploy/kubernetes. */
    static final List<String> ALL = List.of("base", "overlays/dev", "overlays/prod");

    private static final Map<String, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Kustomizations() {
    }

    static Stream<String> all() {
        return ALL.stream();
    }

    static Path root() {
        String configured = System.getProperty("ragline.root");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("ragline"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no RAGline checkout above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static List<HasMetadata> render(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization, Kustomizations::kubectlKustomize);
    }

    static <T extends HasMetadata> List<T> objects(String kustomization, Class<T> type) {
        return render(kustomization).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Every pod the kustomization runs (Deployments and Jobs), by the name of the object that owns it. */
    static Map<String, PodTemplateSpec> podTemplates(String kustomization) {
        Map<String, PodTemplateSpec> pods = new java.util.TreeMap<>();
        objects(kustomization, Deployment.class).forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        objects(kustomization, Job.class).forEach(j -> pods.put(j.getMetadata().getName(), j.getSpec().getTemplate()));
        return pods;
    }

    private static List<HasMetadata> kubectlKustomize(String kustomization) {
        Path dir = root().resolve("deploy/kubernetes").resolve(kustomization);
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            try {
                Process kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                        .redirectError(errors.toFile())
                        .start();
                String yaml = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                    throw new IllegalStateException("kubectl kustomize " + dir + " failed:\n" + Files.readString(errors));
                }
                return parse(yaml);
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl (deploy/local/stack.sh ensure-kubectl installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        if (parsed instanceof List<?> list) {
            return (List<HasMetadata>) list;
        }
        if (parsed instanceof KubernetesList list) {
            return list.getItems();
        }
        return List.of((HasMetadata) parsed);
    }
}
