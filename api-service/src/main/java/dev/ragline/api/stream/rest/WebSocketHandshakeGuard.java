package dev.ragline.api.stream.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.ragline.api.auth.StreamCookieAuthMechanism;
import dev.ragline.contracts.StreamSession;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses the WebSocket upgrade with 401 when the token is missing or invalid. Browsers cannot set
 * an Authorization header on the handshake, so a browser sends its {@code ragline_stream} cookie (the
 * stream session) and other clients the token as a query parameter; and Jakarta WebSocket can only
 * close a socket after it opened, so the check runs as a route ahead of it. A valid cookie becomes
 * the handshake's identity, which the socket reads as its session's principal.
 */
@ApplicationScoped
class WebSocketHandshakeGuard {

    private static final String PROBLEM = """
            {"type":"https://ragline.dev/problems/unauthorized","title":"Unauthorized","status":401,\
            "detail":"Send a valid stream session cookie, or a valid access token as the access_token query parameter"}""";

    private final JWTParser parser;
    private final StreamCookieAuthMechanism streamSessions;

    WebSocketHandshakeGuard(JWTParser parser, StreamCookieAuthMechanism streamSessions) {
        this.parser = parser;
        this.streamSessions = streamSessions;
    }

    void install(@Observes Router router) {
        router.route(OrderEventsSocket.PATH).order(Integer.MIN_VALUE + 100).handler(this::check);
    }

    private void check(RoutingContext context) {
        String token = context.request().getParam(OrderEventsSocket.TOKEN_PARAMETER);
        if (token != null && isValid(token)) {
            context.next();
            return;
        }
        Cookie cookie = context.request().getCookie(StreamSession.COOKIE);
        if (token == null && cookie != null) {
            try {
                QuarkusHttpUser.setIdentity(streamSessions.identityOf(cookie.getValue()), context);
                context.next();
                return;
            } catch (AuthenticationFailedException invalid) {
                // refused below, like a bad token
            }
        }
        context.response().setStatusCode(401)
                .putHeader("Content-Type", "application/problem+json")
                .end(PROBLEM);
    }

    private boolean isValid(String token) {
        try {
            parser.parse(token);
            return true;
        } catch (ParseException invalid) {
            return false;
        }
    }
}
