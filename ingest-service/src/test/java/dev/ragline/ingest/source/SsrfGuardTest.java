package dev.ragline.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ragline.ingest.source.web.SsrfGuard;
import dev.ragline.ingest.support.ScriptedResolver;
import io.quarkus.test.junit.QuarkusTest;

/** The guard as configured for tests: only the address 127.0.0.1 is allow-listed. */
@QuarkusTest
class SsrfGuardTest {

    @Inject
    SsrfGuard guard;

    @ParameterizedTest
    @ValueSource(strings = { "file:///etc/passwd", "gopher://example.com/", "http:///no-host" })
    void other_schemes_and_urls_without_a_host_are_refused(String url) {
        assertThatThrownBy(() -> guard.check(URI.create(url))).isInstanceOf(SsrfGuard.RefusedUrl.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.2", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254", "[::1]", "::1",
            "[fd00:ec2::254]", "0.0.0.0", "100.64.0.1", "[::ffff:127.0.0.2]", "255.255.255.255" })
    void internal_addresses_are_refused(String host) {
        assertThatThrownBy(() -> guard.vet(host)).isInstanceOf(SsrfGuard.RefusedUrl.class)
                .hasMessageContaining("internal address");
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "93.184.215.14", "[2606:4700::1]" })
    void public_and_allow_listed_addresses_pass(String host) throws Exception {
        assertThat(guard.vet(host)).hasSize(1);
    }

    @Test
    void a_name_resolving_to_the_allow_listed_address_passes_with_that_address() throws Exception {
        ScriptedResolver.install().answer("wiki.ragline.test", "127.0.0.1");

        assertThat(guard.vet("wiki.ragline.test")).containsExactly(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void a_name_resolving_to_an_internal_address_not_allow_listed_is_refused_naming_it() {
        ScriptedResolver.install().answer("intranet.ragline.test", "127.0.0.77");

        assertThatThrownBy(() -> guard.vet("intranet.ragline.test")).isInstanceOf(SsrfGuard.RefusedUrl.class)
                .hasMessageContaining("127.0.0.77");
    }
}
