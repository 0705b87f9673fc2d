package dev.ragline.ingest.source;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Masks parameters that carry credentials before a job record (or a log line) keeps them. */
public final class SecretParams {

    public static final String MASK = "***";
    private static final Pattern SECRET = Pattern
            .compile("(?i).*(password|passwd|secret|token|api[_-]?key|authorization|credential|cookie).*");

    /** A copy of the parameters with every value under a secret-looking key, at any depth, masked. */
    public static ObjectNode masked(ObjectNode params) {
        ObjectNode copy = params.deepCopy();
        mask(copy);
        return copy;
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (SECRET.matcher(field.getKey()).matches() && !field.getValue().isContainerNode()) {
                    field.setValue(object.textNode(MASK));
                } else {
                    mask(field.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(SecretParams::mask);
        }
    }

    private SecretParams() {
    }
}
