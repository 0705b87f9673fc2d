package dev.ragline.worker.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Ragline-Signature} header: {@code sha256=} and the hex HMAC-SHA256 of the exact body
 * bytes under the tenant's secret, which the receiver recomputes to trust the delivery.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Ragline-Signature";

    public static String of(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private WebhookSignature() {
    }
}
