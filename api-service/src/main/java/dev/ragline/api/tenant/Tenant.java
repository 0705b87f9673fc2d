package dev.ragline.api.tenant;

import java.time.OffsetDateTime;
import java.util.UUID;

public record Tenant(UUID id, String slug, String name, OffsetDateTime createdAt) {
}
