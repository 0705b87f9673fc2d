package dev.ragline.api.user;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

public record User(UUID id, UUID tenantId, String email, String passwordHash, List<String> roles, OffsetDateTime createdAt) {
}
