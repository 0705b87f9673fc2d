package dev.ragline.ingest.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.ragline.ingest.embedding.Embedder;
import io.vertx.mutiny.sqlclient.Pool;

/** The seed's /health: overall status and each dependency's (the platform probes are under /q/health). */
@Path("/health")
public class HealthResource {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Pool database;
    private final Embedder embedder;

    HealthResource(Pool database, Embedder embedder) {
        this.database = database;
        this.embedder = embedder;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        Map<String, String> dependencies = new LinkedHashMap<>();
        dependencies.put("database", check(() -> database.query("SELECT 1").execute().await().atMost(TIMEOUT) != null));
        dependencies.put("vector_store", check(() -> database
                .query("SELECT extversion FROM pg_extension WHERE extname = 'vector'").execute().await().atMost(TIMEOUT)
                .rowCount() == 1));
        dependencies.put("embeddings", check(embedder::healthy));
        boolean healthy = dependencies.values().stream().allMatch("healthy"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "healthy" : "unhealthy");
        body.put("dependencies", dependencies);
        return Response.status(healthy ? 200 : 503).entity(body).build();
    }

    private static String check(java.util.function.BooleanSupplier probe) {
        try {
            return probe.getAsBoolean() ? "healthy" : "unhealthy";
        } catch (RuntimeException e) {
            return "unhealthy";
        }
    }
}
