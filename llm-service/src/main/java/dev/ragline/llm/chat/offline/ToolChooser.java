package dev.ragline.llm.chat.offline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.ragline.llm.catalogue.service.TextEmbedder;
import dev.ragline.llm.tools.ToolCatalog;

/**
 * Picks the tool whose description (or one of its example requests) is nearest in meaning to the
 * customer's message, using the in-process embedding model. Deterministic: same message, same tool.
 */
@ApplicationScoped
public class ToolChooser {

    private final TextEmbedder embedder;
    private volatile Map<String, List<float[]>> references;

    ToolChooser(TextEmbedder embedder) {
        this.embedder = embedder;
    }

    public String choose(String message) {
        return scores(message).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** Each tool's best cosine similarity to the message. */
    public Map<String, Double> scores(String message) {
        float[] query = embedder.embedQuery(message);
        Map<String, Double> scores = new LinkedHashMap<>();
        references().forEach((tool, vectors) -> scores.put(tool,
                vectors.stream().mapToDouble(vector -> TextEmbedder.cosine(query, vector)).max().orElse(-1)));
        return scores;
    }

    private Map<String, List<float[]>> references() {
        if (references == null) {
            Map<String, List<float[]>> computed = new LinkedHashMap<>();
            for (ToolSpecification tool : ToolCatalog.ALL) {
                List<String> texts = new java.util.ArrayList<>(ToolCatalog.EXAMPLES.get(tool.name()));
                texts.add(tool.description());
                computed.put(tool.name(), texts.stream().map(embedder::embed).toList());
            }
            references = computed;
        }
        return references;
    }
}
