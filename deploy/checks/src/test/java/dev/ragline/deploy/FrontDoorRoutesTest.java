package dev.ragline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/** The Ingress routes what the local front door (deploy/local/nginx.conf.template) routes, to the same services. */
class FrontDoorRoutesTest {

    private static final Pattern LOCATION = Pattern
            .compile("location\\s+(?:=\\s+)?(/\\S*)\\s*\\{\\s*proxy_pass\\s+http://([a-z]+)_service;");

    @ParameterizedTest
    @MethodSource("dev.ragline.deploy.Kustomizations#all")
    void theIngressRoutesEveryPathPrefixOfTheFrontDoorToTheSameService(String kustomization) throws IOException {
        String template = Files.readString(Kustomizations.root().resolve("deploy/local/nginx.conf.template"));
        Map<String, String> frontDoor = new TreeMap<>();
        Matcher m = LOCATION.matcher(template);
        while (m.find()) {
            // "= /v1/chat" and "/v1/chat/" together are the Ingress's Prefix /v1/chat (whole path segments).
            String path = m.group(1).length() > 1 && m.group(1).endsWith("/") ? m.group(1).substring(0, m.group(1).length() - 1)
                    : m.group(1);
            frontDoor.put(path, m.group(2) + "-service");
        }
        assertThat(frontDoor).as("routes read from nginx.conf.template").containsEntry("/v1", "api-service");

        for (Ingress ingress : Kustomizations.objects(kustomization, Ingress.class)) {
            for (var rule : ingress.getSpec().getRules()) {
                Map<String, String> routes = new TreeMap<>();
                rule.getHttp().getPaths().stream().filter(p -> !"/".equals(p.getPath())).forEach(p -> {
                    assertThat(p.getPathType()).as(p.getPath()).isEqualTo("Prefix");
                    routes.put(p.getPath(), p.getBackend().getService().getName());
                });
                assertThat(routes).as(kustomization + " Ingress " + rule.getHost()).isEqualTo(frontDoor);
            }
        }
    }
}
