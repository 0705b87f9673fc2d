package dev.ragline.contracts;

/**
 * The browser stream session: a short-lived JWT that api-service signs and sets as an HttpOnly,
 * SameSite=Strict cookie, so that a browser's native EventSource (which cannot send an
 * Authorization header) can open the order stream and ingest's job progress stream. It is accepted
 * on those stream endpoints only; its own issuer means no service's bearer verification (which
 * checks {@code mp.jwt.verify.issuer}) ever takes it for an access token.
 */
public final class StreamSession {

    public static final String COOKIE = "ragline_stream";
    public static final String AUDIENCE = "ragline-stream";

    /** The stream session's issuer: the access tokens' issuer with this suffix. */
    public static final String ISSUER_SUFFIX = "/stream-session";

    public static String issuer(String accessTokenIssuer) {
        return accessTokenIssuer + ISSUER_SUFFIX;
    }

    private StreamSession() {
    }
}
