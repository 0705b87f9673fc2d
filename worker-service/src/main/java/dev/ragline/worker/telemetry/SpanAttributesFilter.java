package dev.ragline.worker.telemetry;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.opentelemetry.api.trace.Span;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Names the tenant, the user and the request on a request's server span, so a trace can be found by any of
 * them. The tenant and user come from the verified token's claims only, never from a header the caller picks;
 * the token's {@code upn} (an email) is deliberately not copied.
 */
public class SpanAttributesFilter {

    /** Set by the front door (nginx's {@code $request_id}) or the caller; else the server span's id serves. */
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final int MAX_REQUEST_ID = 64;

    private final CurrentIdentityAssociation identities;

    public SpanAttributesFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Void> enrich(ContainerRequestContext request) {
        Span span = Span.current();
        if (!span.getSpanContext().isValid()) {
            return Uni.createFrom().voidItem();
        }
        String requestId = request.getHeaderString(REQUEST_ID_HEADER);
        span.setAttribute("request_id", requestId == null || requestId.isBlank() || requestId.length() > MAX_REQUEST_ID
                ? span.getSpanContext().getSpanId()
                : requestId);
        // A failed or missing token is the endpoint's concern (401); the span just stays without a tenant.
        return identities.getDeferredIdentity().onFailure().recoverWithNull().invoke(identity -> {
            if (identity != null && !identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken token) {
                copyClaim(span, token, "tenant_id");
                copyClaim(span, token, "user_id");
            }
        }).replaceWithVoid();
    }

    private static void copyClaim(Span span, JsonWebToken token, String claim) {
        Object value = token.getClaim(claim);
        if (value != null) {
            span.setAttribute(claim, value.toString().replace("\"", ""));
        }
    }
}
