package dev.ragline.llm.catalogue.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.llm.catalogue.CatalogueItem;
import dev.ragline.llm.catalogue.MenuQuery;
import dev.ragline.llm.catalogue.repository.CatalogueIndex;

/** retrieve_menu: semantic search over one tenant's catalogue with exact price, category and tag filters. */
@ApplicationScoped
public class MenuRetriever {

    private final CatalogueIndex index;
    private final TextEmbedder embedder;

    MenuRetriever(CatalogueIndex index, TextEmbedder embedder) {
        this.index = index;
        this.embedder = embedder;
    }

    public List<CatalogueItem> retrieve(UUID tenantId, MenuQuery query) {
        String text = query.query().isEmpty() ? String.join(" ", query.tags()) + " dish" : query.query();
        return index.search(tenantId, query, TextEmbedder.toVectorLiteral(embedder.embed(text)));
    }
}
