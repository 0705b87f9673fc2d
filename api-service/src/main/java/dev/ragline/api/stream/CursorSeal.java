package dev.ragline.api.stream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a {@link StreamCursor} into the opaque id a client holds, and opens it again. A cursor is a position in the
 * whole order topic, which carries every tenant's events: in plain text, the distance between two ids a client got
 * would count the other tenants' orders in between. Sealed with AES-GCM under a fresh nonce, every id looks random
 * and cannot be altered; replicas that share the secret open each other's ids.
 */
public final class CursorSeal {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] PURPOSE = "ragline order stream cursor v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private CursorSeal(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A seal whose AES key is derived from a secret every replica has (HMAC-SHA256 of it, for this purpose only). */
    public static CursorSeal derivedFrom(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new CursorSeal(mac.doFinal(PURPOSE));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public String seal(StreamCursor cursor) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(cursor.encode().getBytes(StandardCharsets.US_ASCII));
            byte[] id = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, id, NONCE_BYTES, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The cursor inside an id this seal made; empty for anything else (another key, altered, not ours). */
    public Optional<StreamCursor> open(String id) {
        if (id == null || id.isBlank() || id.length() > 8192) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(id.strip());
            if (bytes.length <= NONCE_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return StreamCursor.parse(new String(plain, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException | GeneralSecurityException notOurs) {
            return Optional.empty();
        }
    }
}
