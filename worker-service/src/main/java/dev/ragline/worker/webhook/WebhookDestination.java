package dev.ragline.worker.webhook;

import java.time.Instant;
import java.util.UUID;

/** Where a tenant receives its order events, and the secret their signature is made with. */
public record WebhookDestination(UUID tenantId, String url, String secret, Instant updatedAt) {
}
