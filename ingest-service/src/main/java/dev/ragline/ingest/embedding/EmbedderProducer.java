package dev.ragline.ingest.embedding;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.pipeline.Chunker;

/** Picks the embedding model from rake.embedding.provider. */
public class EmbedderProducer {

    @Produces
    @ApplicationScoped
    Embedder embedder(IngestConfig config, ObjectMapper json, Chunker chunker) {
        return switch (config.embedding().provider()) {
            case "in-process" -> new InProcessEmbedder(chunker::countTokens);
            case "openai" -> new OpenAiCompatibleEmbedder(config.embedding().openai(), json, chunker::countTokens);
            default -> throw new IllegalArgumentException(
                    "rake.embedding.provider must be in-process or openai, not " + config.embedding().provider());
        };
    }
}
