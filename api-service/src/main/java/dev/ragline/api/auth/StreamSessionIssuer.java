package dev.ragline.api.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.ragline.contracts.StreamSession;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * Signs stream sessions: the caller's tenant, user and roles, for the stream endpoints only, and
 * never longer than the access token that asked for one (the web client asks again after every refresh).
 */
@ApplicationScoped
public class StreamSessionIssuer {

    private final AuthConfig config;

    public StreamSessionIssuer(AuthConfig config) {
        this.config = config;
    }

    public NewCookie cookieFor(JsonWebToken access) {
        long now = Instant.now().getEpochSecond();
        long expiresAt = Math.min(now + config.streamSessionTtl().toSeconds(), access.getExpirationTime());
        String session = Jwt.issuer(StreamSession.issuer(config.issuer()))
                .audience(StreamSession.AUDIENCE)
                .subject(access.getSubject())
                .upn(access.getName())
                .groups(new HashSet<>(access.getGroups()))
                .claim("roles", new ArrayList<>(access.getGroups()))
                .claim("tenant_id", String.valueOf(access.<Object> getClaim("tenant_id")).replace("\"", ""))
                .claim("user_id", String.valueOf(access.<Object> getClaim("user_id")).replace("\"", ""))
                .issuedAt(now)
                .expiresAt(expiresAt)
                .jws().algorithm(SignatureAlgorithm.RS256)
                .sign();
        return cookie(session, (int) Math.max(0, expiresAt - now));
    }

    /** The same cookie, empty and already expired: the browser drops it. */
    public NewCookie cleared() {
        return cookie("", 0);
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(StreamSession.COOKIE)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(config.streamCookieSecure())
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge(maxAge)
                .build();
    }
}
