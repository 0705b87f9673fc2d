package dev.ragline.ingest.source;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ragline.ingest.source.web.SsrfGuard;
import io.quarkus.test.junit.QuarkusTest;

/** The guard as configured for tests: only 127.0.0.1 itself is allow-listed. */
@QuarkusTest
class SsrfGuardTest {

    @Inject
    SsrfGuard guard;

    @ParameterizedTest
    @ValueSource(strings = { "http://localhost:8080/", "http://127.0.0.2/", "http://10.0.0.5/admin",
            "http://172.16.3.4/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/", "http://[fd00:ec2::254]/", "http://0.0.0.0/", "http://100.64.0.1/",
            "file:///etc/passwd", "gopher://example.com/" })
    void internal_addresses_and_other_schemes_are_refused(String url) {
        assertThatThrownBy(() -> guard.check(URI.create(url))).isInstanceOf(SsrfGuard.RefusedUrl.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:9999/allow-listed", "http://93.184.215.14/", "https://[2606:4700::1]/" })
    void public_and_allow_listed_addresses_pass(String url) {
        assertThatCode(() -> guard.check(URI.create(url))).doesNotThrowAnyException();
    }
}
