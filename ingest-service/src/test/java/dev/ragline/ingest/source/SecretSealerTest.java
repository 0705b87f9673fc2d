package dev.ragline.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class SecretSealerTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private final SecretSealer sealer = new SecretSealer(KEY);

    @Test
    void sealed_params_open_only_for_their_own_job_and_do_not_show_the_secret() {
        UUID job = UUID.randomUUID();
        byte[] sealed = sealer.seal(job, "{\"password\":\"hunter2-hunter2\"}");

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        assertThat(sealer.open(job, sealed)).isEqualTo("{\"password\":\"hunter2-hunter2\"}");
        assertThatThrownBy(() -> sealer.open(UUID.randomUUID(), sealed)).hasMessageNotContaining("hunter2");
    }

    @Test
    void a_tampered_value_or_another_key_does_not_open() {
        UUID job = UUID.randomUUID();
        byte[] sealed = sealer.seal(job, "secret");
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;

        assertThatThrownBy(() -> sealer.open(job, tampered)).isInstanceOf(IllegalStateException.class);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> new SecretSealer(Base64.getEncoder().encodeToString(otherKey)).open(job, sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_key_that_is_not_32_bytes_is_refused_at_startup() {
        assertThatThrownBy(() -> new SecretSealer(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
    }
}
