package dev.ragline.api.stream.rest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.api.stream.OrderStreamConfig;
import dev.ragline.api.stream.StreamViewer;
import dev.ragline.api.stream.service.OrderEventHub;
import dev.ragline.api.stream.service.Subscription;
import io.quarkus.websockets.client.runtime.WebSocketPrincipal;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The same order events over WebSocket, for clients that prefer it to SSE:
 * {@code /v1/ws/orders?access_token=<jwt>[&last_event_id=<id>]}, or from a browser with the stream
 * session cookie and no token. The handshake guard has already refused bad credentials with 401;
 * the token is parsed again here (or the cookie's identity read) to learn who is watching.
 */
@ServerEndpoint(OrderEventsSocket.PATH)
@ApplicationScoped
public class OrderEventsSocket {

    static final String PATH = "/v1/ws/orders";
    static final String TOKEN_PARAMETER = "access_token";
    static final String RESUME_PARAMETER = "last_event_id";

    private static final Logger LOG = Logger.getLogger(OrderEventsSocket.class);
    private static final String SUBSCRIPTION = "ragline.order-stream.subscription";

    private final OrderEventHub hub;
    private final OrderStreamConfig config;
    private final JWTParser parser;
    private final ObjectMapper json;

    OrderEventsSocket(OrderEventHub hub, OrderStreamConfig config, JWTParser parser, ObjectMapper json) {
        this.hub = hub;
        this.config = config;
        this.parser = parser;
        this.json = json;
    }

    @OnOpen
    void open(Session session) {
        Map<String, List<String>> parameters = session.getRequestParameterMap();
        Optional<String> token = first(parameters, TOKEN_PARAMETER);
        Optional<StreamViewer> viewer = token.isPresent() ? token.flatMap(this::viewerOf) : streamSessionViewer(session);
        if (viewer.isEmpty()) {
            closeQuietly(session, new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "invalid access token"));
            return;
        }
        Subscription subscription = hub.subscribe(viewer.get(), first(parameters, RESUME_PARAMETER),
                new WebSocketOrderEventSink(session, json, config.clientBufferSize()));
        session.getUserProperties().put(SUBSCRIPTION, subscription);
    }

    @OnClose
    void close(Session session) {
        if (session.getUserProperties().remove(SUBSCRIPTION) instanceof Subscription subscription) {
            hub.unsubscribe(subscription);
        }
    }

    @OnError
    void error(Session session, Throwable failure) {
        LOG.debugf("Order stream socket %s failed: %s", session.getId(), failure.getMessage());
        close(session);
    }

    private Optional<StreamViewer> viewerOf(String token) {
        try {
            return StreamViewer.of(parser.parse(token));
        } catch (ParseException invalid) {
            return Optional.empty();
        }
    }

    /** The stream session the handshake guard verified: Quarkus exposes the handshake's identity as the principal. */
    private static Optional<StreamViewer> streamSessionViewer(Session session) {
        if (session.getUserPrincipal() instanceof WebSocketPrincipal principal
                && principal.getSecurityIdentity().getPrincipal() instanceof JsonWebToken jwt) {
            return StreamViewer.of(jwt);
        }
        return Optional.empty();
    }

    private static Optional<String> first(Map<String, List<String>> parameters, String name) {
        return Optional.ofNullable(parameters.get(name)).flatMap(values -> values.stream().findFirst());
    }

    private static void closeQuietly(Session session, CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException e) {
            LOG.debugf("Order stream socket %s already closed", session.getId());
        }
    }
}
