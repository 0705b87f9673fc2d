package dev.ragline.llm.tools.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import dev.ragline.llm.common.Caller;
import io.smallrye.mutiny.Uni;

/**
 * Calls api-service as the caller. Answers come back with their status so tools can tell a refusal
 * (4xx problem+json, shown to the responder) from a failure.
 */
@ApplicationScoped
public class ApiService {

    public record Answer(int status, JsonNode body) {

        public boolean successful() {
            return status >= 200 && status < 300;
        }

        /**
         * The service refused what was asked (a 4xx other than 401/403): the model may correct its call. A 5xx, or
         * a refusal of the forwarded token itself, is the service's trouble, not the request's.
         */
        public boolean refusedTheRequest() {
            return status >= 400 && status < 500 && status != 401 && status != 403;
        }

        /** The problem+json detail (or title) api-service gave for a refusal. */
        public String problem() {
            String detail = body.path("detail").asText("");
            return detail.isEmpty() ? body.path("title").asText("api-service answered " + status) : detail;
        }
    }

    private final ApiServiceClient client;

    ApiService(@RestClient ApiServiceClient client) {
        this.client = client;
    }

    @Timeout(20_000)
    public Answer price(Caller caller, JsonNode cart) {
        return answer(() -> client.price(bearer(caller), cart));
    }

    @Timeout(20_000)
    public Answer placeOrder(Caller caller, String idempotencyKey, JsonNode cart) {
        return answer(() -> client.placeOrder(bearer(caller), idempotencyKey, cart));
    }

    @Timeout(30_000)
    public Answer products(Caller caller, int page, int size) {
        return answer(() -> client.products(bearer(caller), page, size));
    }

    private static String bearer(Caller caller) {
        return "Bearer " + caller.bearerToken();
    }

    /**
     * Waits for the call on the turn's thread. An interrupt (the client went away, or a timeout) drops the request
     * in flight, closing its connection, instead of leaving it to finish for nobody.
     */
    static Answer answer(Supplier<Uni<Response>> call) {
        CompletableFuture<Response> pending = call.get().subscribeAsCompletionStage();
        Response received;
        try {
            received = pending.get();
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("The call was abandoned: its turn ended");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof WebApplicationException refusal)) {
                throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
            }
            received = refusal.getResponse();
        }
        Response response = received;
        try (response) {
            JsonNode body = response.hasEntity() ? response.readEntity(JsonNode.class) : NullNode.getInstance();
            return new Answer(response.getStatus(), body == null ? NullNode.getInstance() : body);
        } catch (RuntimeException unreadable) {
            return new Answer(response.getStatus(), NullNode.getInstance());
        }
    }
}
