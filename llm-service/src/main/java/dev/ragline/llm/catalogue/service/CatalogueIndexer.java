package dev.ragline.llm.catalogue.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.contracts.EventEnvelope;
import dev.ragline.llm.catalogue.ProductSnapshot;
import dev.ragline.llm.catalogue.repository.CatalogueIndex;

/** Applies product_v1 events to the index, each event id once. */
@ApplicationScoped
public class CatalogueIndexer {

    static final String CONSUMER = "catalogue-index";

    private final CatalogueIndex index;
    private final TextEmbedder embedder;
    private final ObjectMapper mapper;

    CatalogueIndexer(CatalogueIndex index, TextEmbedder embedder, ObjectMapper mapper) {
        this.index = index;
        this.embedder = embedder;
        this.mapper = mapper;
    }

    /** Returns false when the event had been applied before. */
    public boolean apply(EventEnvelope event) throws JsonProcessingException {
        ProductSnapshot product = mapper.treeToValue(event.payload(), ProductSnapshot.class);
        UUID productId = product.identity();
        return switch (event.eventType()) {
            case "product_upserted" -> index.applyUpsert(CONSUMER, event.eventId(), event.tenantId(), product,
                    event.aggregateVersion(), TextEmbedder.toVectorLiteral(embedder.embed(product.searchableText())));
            case "product_deleted" -> index.applyDeletion(CONSUMER, event.eventId(), event.tenantId(), productId,
                    product.sku(), event.aggregateVersion());
            default -> throw new IllegalArgumentException("Not a product event: " + event.eventType());
        };
    }
}
