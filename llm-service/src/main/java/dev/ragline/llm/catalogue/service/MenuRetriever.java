package dev.ragline.llm.catalogue.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.llm.catalogue.CatalogueItem;
import dev.ragline.llm.catalogue.MenuQuery;
import dev.ragline.llm.catalogue.repository.CatalogueIndex;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** retrieve_menu: semantic search over one tenant's catalogue with exact price, category and tag filters. */
@ApplicationScoped
public class MenuRetriever {

    private final CatalogueIndex index;
    private final TextEmbedder embedder;
    private final Timer latency;
    private final Timer searchLatency;

    MenuRetriever(CatalogueIndex index, TextEmbedder embedder, MeterRegistry meters) {
        this.index = index;
        this.embedder = embedder;
        this.latency = Timer.builder("ragline_llm_retrieval")
                .description("retrieve_menu: query embedding plus the filtered vector search")
                .publishPercentiles(0.5, 0.95, 0.99).register(meters);
        this.searchLatency = Timer.builder("ragline_llm_retrieval_search")
                .description("retrieve_menu: the filtered vector search alone, without the query embedding")
                .publishPercentiles(0.5, 0.95, 0.99).register(meters);
    }

    public List<CatalogueItem> retrieve(UUID tenantId, MenuQuery query) {
        String text = query.query().isEmpty() ? String.join(" ", query.tags()) + " dish" : query.query();
        return latency.record(() -> {
            String vector = TextEmbedder.toVectorLiteral(embedder.embedQuery(text));
            return searchLatency.record(() -> index.search(tenantId, query, vector));
        });
    }
}
