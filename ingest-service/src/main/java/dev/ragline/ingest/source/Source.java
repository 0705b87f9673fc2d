package dev.ragline.ingest.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where FETCH reads documents from. Each source is a CDI bean; the pipeline finds it by {@link #name()},
 * so a new source (sec_edgar, api_fetch, database_query) plugs in without touching the pipeline.
 */
public interface Source {

    /** The {@code source} value of a job, e.g. {@code url_scrape}. */
    String name();

    /**
     * Checks the job's parameters before it is accepted and returns them normalised; a bad one is a
     * {@link dev.ragline.ingest.common.ProblemException} (400) naming it.
     */
    ObjectNode validate(ObjectNode params);

    /** The parameters as the job record keeps them: without secrets (by default, secret-looking keys are masked). */
    default ObjectNode redact(ObjectNode params) {
        return SecretParams.masked(params);
    }

    /**
     * Fetches the job's documents. A document that cannot be read is reported through
     * {@link SourceContext#documentFailed} and the others go on; only a failure of the whole source throws.
     */
    void fetch(SourceContext context, JsonNode params) throws Exception;
}
