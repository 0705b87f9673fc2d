package dev.ragline.llm.tools.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** api-service's REST API as the chat tools use it, always with the caller's own bearer token. */
@RegisterRestClient(configKey = "api-service")
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ApiServiceClient {

    @POST
    @Path("/carts/price")
    Uni<Response> price(@HeaderParam("Authorization") String authorization, JsonNode cart);

    @POST
    @Path("/orders")
    Uni<Response> placeOrder(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Idempotency-Key") String idempotencyKey, JsonNode cart);

    @GET
    @Path("/products")
    Uni<Response> products(@HeaderParam("Authorization") String authorization, @QueryParam("page") int page,
            @QueryParam("size") int size);
}
