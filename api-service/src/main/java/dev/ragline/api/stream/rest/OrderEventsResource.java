package dev.ragline.api.stream.rest;

import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;

import dev.ragline.api.stream.OrderStreamConfig;
import dev.ragline.api.stream.StreamViewer;
import dev.ragline.api.stream.service.OrderEventHub;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;

/**
 * Live order events as Server-Sent Events. The method returns at once with a {@link Multi} that
 * the hub feeds from the Kafka thread, so an idle client holds a connection and no thread.
 */
@Path("/v1/events/orders")
@Tag(name = "Order streams")
public class OrderEventsResource {

    private final OrderEventHub hub;
    private final OrderStreamConfig config;
    private final JsonWebToken token;

    OrderEventsResource(OrderEventHub hub, OrderStreamConfig config, JsonWebToken token) {
        this.hub = hub;
        this.config = config;
        this.token = token;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({ "customer", "staff", "admin", "platform_admin" })
    @ResponseHeader(name = "Cache-Control", value = "no-cache")
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    @Operation(summary = "Order events of the caller's tenant (customers: their own orders) as they happen; "
            + "resumes after Last-Event-ID")
    @APIResponse(responseCode = "200", description = "text/event-stream of order_created, order_updated, "
            + "order_cancelled (data: the contracts event envelope) and resync events; id: resumable cursor", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = String.class)))
    public Multi<OutboundSseEvent> stream(@HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("last_event_id") String lastEventIdParam, @Context Sse sse) {
        StreamViewer viewer = StreamViewer.of(token)
                .orElseThrow(() -> new ForbiddenException("The token names no tenant or user"));
        Optional<String> resumeFrom = Optional.ofNullable(lastEventId).or(() -> Optional.ofNullable(lastEventIdParam));
        return Multi.createFrom().<OutboundSseEvent> emitter(emitter -> {
            var subscription = hub.subscribe(viewer, resumeFrom, new SseOrderEventSink(emitter, sse));
            emitter.onTermination(() -> hub.unsubscribe(subscription));
        }, BackPressureStrategy.ERROR)
                .onOverflow().buffer(config.clientBufferSize());
    }
}
