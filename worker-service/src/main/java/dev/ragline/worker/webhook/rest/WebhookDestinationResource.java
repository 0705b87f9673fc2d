package dev.ragline.worker.webhook.rest;

import java.net.URI;
import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.ragline.worker.problem.InvalidRequestException;
import dev.ragline.worker.security.Caller;
import dev.ragline.worker.webhook.WebhookDestination;
import dev.ragline.worker.webhook.WebhookDestinationRepository;

/** A tenant admin sets where the tenant's order events are delivered. The secret is write-only. */
@Path("/v1/webhooks/destination")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookDestinationResource {

    public record DestinationRequest(
            @JsonProperty("url") @NotBlank @Size(max = 2048) String url,
            @JsonProperty("secret") @NotNull @Size(min = 16, max = 256) String secret) {
    }

    public record DestinationView(
            @JsonProperty("url") String url,
            @JsonProperty("updated_at") Instant updatedAt) {

        static DestinationView of(WebhookDestination destination) {
            return new DestinationView(destination.url(), destination.updatedAt());
        }
    }

    private final WebhookDestinationRepository destinations;
    private final Caller caller;

    WebhookDestinationResource(WebhookDestinationRepository destinations, Caller caller) {
        this.destinations = destinations;
        this.caller = caller;
    }

    @GET
    public DestinationView get() {
        return destinations.find(caller.tenantId()).map(DestinationView::of)
                .orElseThrow(() -> new NotFoundException("This tenant has no webhook destination"));
    }

    @PUT
    public DestinationView put(@Valid @NotNull DestinationRequest request) {
        requireHttpUrl(request.url());
        return DestinationView.of(destinations.save(caller.tenantId(), request.url(), request.secret()));
    }

    @DELETE
    public Response delete() {
        if (!destinations.delete(caller.tenantId())) {
            throw new NotFoundException("This tenant has no webhook destination");
        }
        return Response.noContent().build();
    }

    private static void requireHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new InvalidRequestException("url must be an absolute http or https URL");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("url must be an absolute http or https URL");
        }
    }
}
