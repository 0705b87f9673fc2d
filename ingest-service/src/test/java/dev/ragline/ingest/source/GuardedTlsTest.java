package dev.ragline.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import dev.ragline.ingest.support.HttpExchanges;
import dev.ragline.ingest.support.Rake;
import dev.ragline.ingest.support.ScriptedResolver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Pinning the connection to the vetted address does not turn TLS into a connection to an IP: a self-signed
 * HTTPS server on 127.0.0.1, reached by a name, sees that name as SNI, and the client still checks the
 * certificate (nobody trusts this one, so the handshake is refused and nothing is fetched).
 */
@QuarkusTest
class GuardedTlsTest {

    private static final String NAME = "tls.ragline.test";
    private static HttpsServer server;
    private static final List<String> sniSeen = new CopyOnWriteArrayList<>();
    private static final List<String> served = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        Path keystore = Files.createTempDirectory("ragline-tls").resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + NAME,
                "-ext", "SAN=dns:" + NAME, "-validity", "1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                parameters.setSNIMatchers(List.of(new SNIMatcher(0) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        sniSeen.add(((SNIHostName) name).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            served.add(exchange.getRequestURI().getPath());
            HttpExchanges.respond(exchange, 200, "application/json", "[]");
        });
        server.start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.stop(0);
    }

    @Test
    void https_to_a_pinned_address_sends_the_name_as_sni_and_still_checks_the_certificate() {
        ScriptedResolver.install().answer(NAME, "127.0.0.1");
        Rake rake = Rake.forNewTenant("tls-pinned");
        Map<String, Object> job = new HashMap<>();
        job.put("source", "api_fetch");
        job.put("url", "https://" + NAME + ":" + server.getAddress().getPort() + "/items");
        job.put("items_pointer", "");
        job.put("id_field", "id");
        job.put("text_fields", List.of("body"));

        JsonPath finished = rake.awaitFinished(rake.submit(job));

        assertThat(finished.getString("status")).isEqualTo("FAILED");
        assertThat(finished.getString("error")).contains("PKIX");
        assertThat(sniSeen).isNotEmpty().containsOnly(NAME);
        assertThat(served).isEmpty();
    }
}
