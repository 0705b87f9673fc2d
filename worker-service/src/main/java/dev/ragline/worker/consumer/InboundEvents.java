package dev.ragline.worker.consumer;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.contracts.EventEnvelope;
import dev.ragline.contracts.EventSchemas;

/** Reads an event body off Kafka, checking it against its published contract. */
@ApplicationScoped
public class InboundEvents {

    private final ObjectMapper json;

    InboundEvents(ObjectMapper json) {
        this.json = json;
    }

    /** The event, or a {@link PoisonMessageException} saying why it cannot be one. */
    public EventEnvelope parse(String body) {
        JsonNode tree;
        try {
            tree = json.readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw new PoisonMessageException("body is not JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new PoisonMessageException("body is not a JSON object");
        }
        List<String> violations;
        try {
            violations = EventSchemas.violations(tree);
        } catch (IllegalArgumentException e) {
            throw new PoisonMessageException("unknown event: " + e.getMessage(), e);
        }
        if (!violations.isEmpty()) {
            throw new PoisonMessageException("event breaks its schema: " + String.join("; ", violations));
        }
        try {
            return json.treeToValue(tree, EventEnvelope.class);
        } catch (Exception e) {
            throw new PoisonMessageException("event does not map to an envelope: " + e.getMessage(), e);
        }
    }
}
