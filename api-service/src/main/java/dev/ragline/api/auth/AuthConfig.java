package dev.ragline.api.auth;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "ragline.auth")
public interface AuthConfig {

    /** The issuer the suite verifies (mp.jwt.verify.issuer). */
    @WithDefault("${mp.jwt.verify.issuer}")
    String issuer();

    @WithDefault("PT30M")
    Duration accessTokenTtl();

    @WithDefault("P14D")
    Duration refreshTokenTtl();

    /** Failed logins of one email in one tenant, within {@link #failureWindow()}, that lock it. */
    @WithDefault("5")
    int maxFailedLogins();

    @WithDefault("PT15M")
    Duration failureWindow();

    @WithDefault("PT15M")
    Duration lockout();

    /** Lifetime of a browser stream session cookie (POST /v1/auth/stream-session), capped by the access token's. */
    @WithDefault("PT15M")
    Duration streamSessionTtl();

    /** Mark the stream session cookie Secure: on wherever browsers reach the front door over HTTPS. */
    @WithDefault("false")
    boolean streamCookieSecure();

    /** bcrypt cost (log2 rounds) of new password hashes. */
    @WithDefault("10")
    int bcryptCost();
}
