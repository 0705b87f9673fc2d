package dev.ragline.llm.catalogue.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.llm.catalogue.ProductSnapshot;
import dev.ragline.llm.catalogue.repository.CatalogueIndex;
import dev.ragline.llm.common.Caller;
import dev.ragline.llm.common.LlmConfig;
import dev.ragline.llm.common.Problems;
import dev.ragline.llm.tools.client.ApiService;

/**
 * Re-indexes the caller's tenant from api-service's GET /v1/products, for a new deployment or after
 * events were lost: every listed product is (re)embedded and every product no longer listed is removed.
 */
@ApplicationScoped
public class CatalogueRebuild {

    private static final Logger LOG = Logger.getLogger(CatalogueRebuild.class);

    public record Result(int indexed, int removed) {
    }

    private final ApiService api;
    private final CatalogueIndex index;
    private final TextEmbedder embedder;
    private final ObjectMapper mapper;
    private final int pageSize;

    CatalogueRebuild(ApiService api, CatalogueIndex index, TextEmbedder embedder, ObjectMapper mapper,
            LlmConfig config) {
        this.api = api;
        this.index = index;
        this.embedder = embedder;
        this.mapper = mapper;
        this.pageSize = config.catalogue().rebuildPageSize();
    }

    public Result rebuild(Caller caller) {
        Set<UUID> listed = new HashSet<>();
        int page = 0;
        while (true) {
            ApiService.Answer answer = api.products(caller, page, pageSize);
            if (!answer.successful()) {
                throw new Problems.Refusal(502, "catalogue-source-unavailable",
                        "api-service answered " + answer.status() + " while listing products: " + answer.problem());
            }
            JsonNode items = answer.body().path("items");
            List<ProductSnapshot> products = new ArrayList<>();
            items.forEach(item -> products.add(read(item)));
            List<float[]> embeddings = embedder.embedAll(products.stream().map(ProductSnapshot::searchableText).toList());
            for (int i = 0; i < products.size(); i++) {
                index.replace(caller.tenantId(), products.get(i), TextEmbedder.toVectorLiteral(embeddings.get(i)));
                listed.add(products.get(i).identity());
            }
            long total = answer.body().path("total").asLong(0);
            page++;
            if (items.isEmpty() || (long) page * pageSize >= total) {
                break;
            }
        }
        int removed = index.removeAllExcept(caller.tenantId(), listed);
        index.ensureVectorIndex(caller.tenantId());
        LOG.infof("Rebuilt the catalogue index of tenant %s: %d products indexed, %d removed", caller.tenantId(),
                listed.size(), removed);
        return new Result(listed.size(), removed);
    }

    private ProductSnapshot read(JsonNode item) {
        try {
            return mapper.treeToValue(item, ProductSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new Problems.Refusal(502, "catalogue-source-unreadable", "api-service listed an unreadable product");
        }
    }
}
