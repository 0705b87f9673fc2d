package dev.ragline.api.ratelimit;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.ragline.api.common.Problem;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Answers 429 with Retry-After once the caller's tenant exceeded its request budget. */
public class RateLimitFilter {

    private final CurrentIdentityAssociation identities;
    private final TenantRateLimiter limiter;

    public RateLimitFilter(CurrentIdentityAssociation identities, TenantRateLimiter limiter) {
        this.identities = identities;
        this.limiter = limiter;
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request) {
        if (request.getHeaderString("Authorization") == null) {
            return Uni.createFrom().nullItem();
        }
        // An invalid token is not this filter's business: the endpoint's security check answers 401.
        return identities.getDeferredIdentity().onFailure().recoverWithNull()
                .chain(identity -> tenantOf(identity).map(limiter::acquire).orElse(Uni.createFrom().item(Optional.empty())))
                .map(retryAfter -> retryAfter.map(seconds -> tooManyRequests(request, seconds)).orElse(null));
    }

    private static Optional<UUID> tenantOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Optional.empty();
        }
        Object tenant = token.getClaim("tenant_id");
        try {
            return tenant == null ? Optional.empty() : Optional.of(UUID.fromString(tenant.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Response tooManyRequests(ContainerRequestContext request, long seconds) {
        Problem problem = new Problem(Problem.typeUri("rate-limited"), "Too many requests", 429,
                "Your tenant exceeded its request rate; retry after " + seconds + " s", request.getUriInfo().getPath(),
                List.of());
        return Response.status(429).type(Problem.MEDIA_TYPE).header("Retry-After", seconds).entity(problem).build();
    }
}
