package dev.ragline.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Validates event bodies against the JSON Schemas in {@code contracts/events/}, so producers and
 * consumers are checked against the same published contract rather than against each other.
 */
public final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    /** The schema file ({@code order_v1.json}) that describes events of this type at this version. */
    public static String schemaFileOf(String eventType, int version) {
        String family = switch (eventType) {
            case "order_created", "order_updated", "order_cancelled" -> "order";
            case "product_upserted", "product_deleted" -> "product";
            case "chat_tool_executed" -> "chat_tool";
            case "order_status_changed" -> "notification";
            case "rake_job_requested" -> "rake_job";
            default -> throw new IllegalArgumentException("No event schema for event type " + eventType);
        };
        return family + "_v" + version + ".json";
    }

    /** Violations of the schema that governs this event (by its {@code event_type} and {@code version}); empty when valid. */
    public static List<String> violations(JsonNode event) {
        String schemaFile = schemaFileOf(event.path("event_type").asText(), event.path("version").asInt(1));
        return schema(schemaFile).validate(event).stream().map(ValidationMessage::getMessage).toList();
    }

    public static JsonSchema schema(String schemaFile) {
        return SCHEMAS.computeIfAbsent(schemaFile, EventSchemas::load);
    }

    private static JsonSchema load(String schemaFile) {
        String resource = "/ragline/contracts/events/" + schemaFile;
        try (InputStream in = EventSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No event schema " + resource + " in contracts");
            }
            return FACTORY.getSchema(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EventSchemas() {
    }
}
