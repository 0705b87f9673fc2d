package dev.ragline.api.stream.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses the WebSocket upgrade with 401 when the token is missing or invalid. Browsers cannot set
 * an Authorization header on the handshake, so the token comes as a query parameter; and Jakarta
 * WebSocket can only close a socket after it opened, so the check runs as a route ahead of it.
 */
@ApplicationScoped
class WebSocketHandshakeGuard {

    private static final String PROBLEM = """
            {"type":"https://ragline.dev/problems/unauthorized","title":"Unauthorized","status":401,\
            "detail":"Pass a valid access token as the access_token query parameter"}""";

    private final JWTParser parser;

    WebSocketHandshakeGuard(JWTParser parser) {
        this.parser = parser;
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
