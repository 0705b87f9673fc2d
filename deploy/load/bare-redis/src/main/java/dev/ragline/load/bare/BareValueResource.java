package dev.ragline.load.bare;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;

/**
 * One Redis GET per request and nothing else: no authentication, no tenant, no rate limit. It is the
 * floor a cached api-service read is compared with.
 */
@Path("/bare")
public class BareValueResource {

    private final ReactiveValueCommands<String, String> values;

    public BareValueResource(ReactiveRedisDataSource redis) {
        this.values = redis.value(String.class);
    }

    @GET
    @Path("/{key}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<String> get(@PathParam("key") String key) {
        return values.get("ragline:bench:bare:" + key).onItem().ifNull().failWith(NotFoundException::new);
    }
}
