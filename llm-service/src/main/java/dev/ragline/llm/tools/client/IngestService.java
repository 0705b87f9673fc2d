package dev.ragline.llm.tools.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ragline.llm.common.Caller;
import dev.ragline.llm.common.LlmConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Searches the caller's tenant's Rake documents in ingest-service as the caller. Answers come back with
 * their status; an unreachable ingest-service throws, and after repeated failures the circuit opens so
 * chats stop waiting for it (the tool then reports the documents as unavailable).
 */
@ApplicationScoped
public class IngestService {

    private final IngestServiceClient client;

    IngestService(LlmConfig config) {
        LlmConfig.Documents documents = config.documents();
        this.client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(documents.baseUrl())
                .connectTimeout(documents.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(documents.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(IngestServiceClient.class);
    }

    @Timeout(10_000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 15_000, successThreshold = 1, skipOn = CancellationException.class)
    public ApiService.Answer search(Caller caller, JsonNode request) {
        return ApiService.answer(() -> client.search("Bearer " + caller.bearerToken(), request));
    }
}
