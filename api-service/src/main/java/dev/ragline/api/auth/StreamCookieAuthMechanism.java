package dev.ragline.api.auth;

import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.ragline.contracts.StreamSession;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.smallrye.jwt.runtime.auth.JWTAuthMechanism;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer tokens everywhere, as before; and on the order stream only ({@code GET /v1/events/orders}),
 * when no Authorization header is sent, the {@code ragline_stream} cookie that
 * {@code POST /v1/auth/stream-session} sets. A browser's EventSource cannot send a header, and a
 * token in the URL would land in proxy logs and browser history. The order WebSocket's handshake
 * guard uses {@link #identityOf(String)} too.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class StreamCookieAuthMechanism implements HttpAuthenticationMechanism {

    static final String ORDER_STREAM = "/v1/events/orders";

    private final JWTAuthMechanism bearer;
    private final JWTParser parser;
    private final JWTAuthContextInfo streamSessions;

    StreamCookieAuthMechanism(JWTAuthMechanism bearer, JWTParser parser, JWTAuthContextInfo accessTokens) {
        this.bearer = bearer;
        this.parser = parser;
        // The access tokens' key, but the stream session's own issuer and audience: neither kind passes for the other.
        this.streamSessions = new JWTAuthContextInfo(accessTokens);
        this.streamSessions.setIssuedBy(StreamSession.issuer(accessTokens.getIssuedBy()));
        this.streamSessions.setExpectedAudience(Set.of(StreamSession.AUDIENCE));
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (context.request().getHeader(HttpHeaders.AUTHORIZATION) == null && isOrderStream(context)) {
            Cookie cookie = context.request().getCookie(StreamSession.COOKIE);
            if (cookie != null) {
                return Uni.createFrom().item(() -> identityOf(cookie.getValue()));
            }
        }
        return bearer.authenticate(context, identities);
    }

    /** The identity a stream session cookie names; {@link AuthenticationFailedException} when it is invalid or expired. */
    public SecurityIdentity identityOf(String cookieValue) {
        try {
            JsonWebToken token = parser.parse(cookieValue, streamSessions);
            return QuarkusSecurityIdentity.builder().setPrincipal(token).addRoles(token.getGroups())
                    .addAttribute("ragline.stream-session", true).build();
        } catch (ParseException invalid) {
            throw new AuthenticationFailedException("The stream session is invalid or expired", invalid);
        }
    }

    private static boolean isOrderStream(RoutingContext context) {
        return context.request().method() == HttpMethod.GET && ORDER_STREAM.equals(context.normalizedPath());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return bearer.getChallenge(context);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return bearer.getCredentialTypes();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return bearer.getCredentialTransport(context);
    }
}
