package dev.ragline.worker.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.contracts.EventEnvelope;
import dev.ragline.worker.consumer.Retries;
import io.smallrye.faulttolerance.api.Guard;

/**
 * POSTs one signed event to a tenant's webhook. Each destination has its own guard: a timeout per
 * attempt, retries with exponential backoff and jitter, and a circuit breaker, so one tenant's dead
 * endpoint fails fast instead of slowing every delivery. Breakers are per instance: each replica
 * learns a destination's health on its own, which needs no shared state.
 */
@ApplicationScoped
public class WebhookDelivery {

    public static final String EVENT_ID_HEADER = "X-Ragline-Event-Id";
    public static final String EVENT_TYPE_HEADER = "X-Ragline-Event-Type";

    private final WebhookConfig config;
    private final HttpClient http;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    WebhookDelivery(WebhookConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    /** Returns once the destination answered 2xx; throws {@link WebhookDeliveryException} when it never did. */
    public void deliver(WebhookDestination destination, EventEnvelope event, String body) {
        Guard guard = guards.computeIfAbsent(destination.url(), this::guardFor);
        HttpRequest request = HttpRequest.newBuilder(URI.create(destination.url()))
                .timeout(config.timeout().plusSeconds(1))
                .header("Content-Type", "application/json")
                .header("User-Agent", "ragline-worker")
                .header(EVENT_ID_HEADER, event.eventId().toString())
                .header(EVENT_TYPE_HEADER, event.eventType())
                .header(WebhookSignature.HEADER, WebhookSignature.of(destination.secret(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            guard.call(() -> {
                post(request);
                return null;
            }, Void.class);
        } catch (WebhookDeliveryException e) {
            throw e;
        } catch (Exception e) {
            throw new WebhookDeliveryException("Delivery to " + destination.url() + " failed: " + e, e);
        }
    }

    private void post(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new WebhookDeliveryException("Webhook " + request.uri() + " answered " + response.statusCode());
        }
    }

    private Guard guardFor(String url) {
        return Retries.exponentialWithJitter(Guard.create().withDescription("webhook " + url), config.maxRetries(),
                config.initialDelay(), config.maxDelay(), config.jitter())
                .withCircuitBreaker()
                .requestVolumeThreshold(config.breakerRequestVolume())
                .failureRatio(config.breakerFailureRatio())
                .delay(config.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .done()
                .withTimeout().duration(config.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .build();
    }
}
