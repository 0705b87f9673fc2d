package dev.ragline.llm.chat.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.llm.catalogue.CatalogueItem;
import dev.ragline.llm.common.LlmConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * Chat memory in Redis, shared by every replica: a window of the latest messages per session, the cart
 * awaiting confirmation and the items last shown, all expiring after the configured idle time.
 */
@ApplicationScoped
public class ConversationMemory {

    private static final TypeReference<List<CatalogueItem>> ITEMS = new TypeReference<>() {
    };

    private final RedisDataSource redis;
    private final ObjectMapper mapper;
    private final LlmConfig.Chat config;

    ConversationMemory(RedisDataSource redis, ObjectMapper mapper, LlmConfig config) {
        this.redis = redis;
        this.mapper = mapper;
        this.config = config.chat();
    }

    /** Appends, trims and renews the window's expiry in one batch: one round trip to Redis, not three. */
    public Uni<Void> appending(UUID tenantId, UUID sessionId, MemoryMessage message) {
        String key = key(tenantId, sessionId, "memory");
        return redis.getReactive().getRedis().batch(List.of(
                Request.cmd(Command.RPUSH).arg(key).arg(write(message)),
                Request.cmd(Command.LTRIM).arg(key).arg(-config.memoryWindow()).arg(-1),
                Request.cmd(Command.EXPIRE).arg(key).arg(config.memoryTtl().toSeconds())))
                .replaceWithVoid();
    }

    /** The window, starting at a user message so a trimmed tool exchange never opens it. */
    public List<MemoryMessage> window(UUID tenantId, UUID sessionId) {
        List<MemoryMessage> messages = new ArrayList<>();
        for (String json : redis.list(String.class).lrange(key(tenantId, sessionId, "memory"), 0, -1)) {
            messages.add(read(json, MemoryMessage.class));
        }
        while (!messages.isEmpty() && !"user".equals(messages.getFirst().role())) {
            messages.removeFirst();
        }
        return messages;
    }

    public Optional<PendingCart> pendingCart(UUID tenantId, UUID sessionId) {
        return Optional.ofNullable(redis.value(String.class).get(key(tenantId, sessionId, "cart")))
                .map(json -> read(json, PendingCart.class));
    }

    public void holdCart(UUID tenantId, UUID sessionId, PendingCart cart) {
        redis.value(String.class).setex(key(tenantId, sessionId, "cart"), config.memoryTtl().toSeconds(), write(cart));
    }

    public void clearCart(UUID tenantId, UUID sessionId) {
        redis.key().del(key(tenantId, sessionId, "cart"));
    }

    public List<CatalogueItem> lastShown(UUID tenantId, UUID sessionId) {
        String json = redis.value(String.class).get(key(tenantId, sessionId, "shown"));
        if (json == null) {
            return List.of();
        }
        try {
            return mapper.readValue(json, ITEMS);
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    public void remember(UUID tenantId, UUID sessionId, List<CatalogueItem> shown) {
        redis.value(String.class).setex(key(tenantId, sessionId, "shown"), config.memoryTtl().toSeconds(),
                write(shown));
    }

    public void forget(UUID tenantId, UUID sessionId) {
        redis.key().del(key(tenantId, sessionId, "memory"), key(tenantId, sessionId, "cart"),
                key(tenantId, sessionId, "shown"));
    }

    private static String key(UUID tenantId, UUID sessionId, String part) {
        return "ragline:llm:" + part + ":" + tenantId + ":" + sessionId;
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable chat memory entry", e);
        }
    }
}
