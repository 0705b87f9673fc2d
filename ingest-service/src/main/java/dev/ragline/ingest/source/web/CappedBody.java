package dev.ragline.ingest.source.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a response body, refusing it once it grows past a cap, so a huge answer cannot exhaust memory. */
public final class CappedBody {

    public static byte[] read(InputStream body, long maxBytes, String what) throws IOException {
        try (body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16384];
            int read;
            while ((read = body.read(buffer)) != -1) {
                if (out.size() + read > maxBytes) {
                    throw new IOException(what + " larger than " + maxBytes + " bytes");
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        }
    }

    private CappedBody() {
    }
}
