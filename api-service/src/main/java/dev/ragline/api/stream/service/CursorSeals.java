package dev.ragline.api.stream.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.ragline.api.stream.CursorSeal;
import dev.ragline.api.stream.OrderStreamConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.ResourceUtils;

/**
 * The replica's {@link CursorSeal}, keyed from the configured secret. Made at start-up, so a replica without the
 * secret fails to start instead of failing every stream.
 */
@ApplicationScoped
class CursorSeals {

    @Produces
    @ApplicationScoped
    @Startup
    CursorSeal cursorSeal(OrderStreamConfig config) {
        try (InputStream secret = ResourceUtils.getResourceStream(config.cursorSecretLocation())) {
            if (secret == null) {
                throw new IllegalStateException("The order stream's cursor secret is missing: "
                        + config.cursorSecretLocation());
            }
            return CursorSeal.derivedFrom(ResourceUtils.readBytes(secret));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the order stream's cursor secret", e);
        }
    }
}
