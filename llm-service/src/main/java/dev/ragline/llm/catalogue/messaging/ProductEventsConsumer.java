package dev.ragline.llm.catalogue.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.contracts.EventEnvelope;
import dev.ragline.contracts.EventSchemas;
import dev.ragline.llm.catalogue.service.CatalogueIndexer;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Keeps the catalogue index current from {@code ragline.products}. Embedding is CPU work, so it runs on
 * a worker thread; a record that breaks the product_v1 contract goes to the dead-letter topic.
 */
@ApplicationScoped
public class ProductEventsConsumer {

    private static final Logger LOG = Logger.getLogger(ProductEventsConsumer.class);

    private final CatalogueIndexer indexer;
    private final ObjectMapper mapper;

    ProductEventsConsumer(CatalogueIndexer indexer, ObjectMapper mapper) {
        this.indexer = indexer;
        this.mapper = mapper;
    }

    @Incoming("products")
    @Blocking
    public void consume(String body) throws JsonProcessingException {
        JsonNode json = mapper.readTree(body);
        List<String> violations = EventSchemas.violations(json);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("Product event breaks product_v1: " + violations);
        }
        EventEnvelope event = mapper.treeToValue(json, EventEnvelope.class);
        boolean applied = indexer.apply(event);
        LOG.debugf("%s %s of product %s (tenant %s)", applied ? "Indexed" : "Skipped redelivered",
                event.eventType(), event.aggregateId(), event.tenantId());
    }
}
