package dev.ragline.ingest.source;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ragline.ingest.IngestConfig;

/**
 * Seals a job's real parameters (with their passwords and auth headers) with AES-256-GCM, so the job record
 * can keep only masked ones while whichever instance runs the job can still open them. The job id is the
 * associated data: a sealed value copied onto another job does not open.
 */
@ApplicationScoped
public class SecretSealer {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    @Inject
    SecretSealer(IngestConfig config) {
        this(config.secrets().key());
    }

    public SecretSealer(String base64Key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("rake.secrets.key must be base64", e);
        }
        if (bytes.length != 32) {
            throw new IllegalStateException("rake.secrets.key must be 32 bytes (base64 of `openssl rand -base64 32`)");
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public byte[] seal(UUID jobId, String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, jobId, iv);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal job parameters", e);
        }
    }

    public String open(UUID jobId, byte[] sealed) {
        try {
            byte[] iv = java.util.Arrays.copyOf(sealed, IV_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, jobId, iv);
            return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // Never include the value: only that it could not be opened (wrong key, or tampered with).
            throw new IllegalStateException("the job's secret parameters cannot be opened with rake.secrets.key");
        }
    }

    private Cipher cipher(int mode, UUID jobId, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(jobId.toString().getBytes(StandardCharsets.US_ASCII));
        return cipher;
    }
}
