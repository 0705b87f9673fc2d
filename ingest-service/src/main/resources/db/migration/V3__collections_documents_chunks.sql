-- A collection is one tenant's vectors from one embedding model at one dimension (the seed's
-- {tenant}_documents); a change of model or dimension starts a new collection instead of mixing vectors.
CREATE TABLE ingest.collections (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text        NOT NULL,
    name        text        NOT NULL,
    model       text        NOT NULL,
    dimension   integer     NOT NULL CHECK (dimension > 0 AND dimension <= 2000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, model, dimension)
);

CREATE TABLE ingest.documents (
    id             uuid PRIMARY KEY,
    tenant_id      text        NOT NULL,
    collection_id  bigint      NOT NULL REFERENCES ingest.collections (id) ON DELETE CASCADE,
    source         text        NOT NULL,
    source_id      text        NOT NULL,
    title          text,
    url            text,
    content_hash   text        NOT NULL,
    chunk_count    integer     NOT NULL DEFAULT 0,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    last_job_id    uuid,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (collection_id, source, source_id)
);
CREATE INDEX documents_tenant_created_idx ON ingest.documents (tenant_id, created_at DESC);

-- embedding has no fixed dimension here: each collection gets its own partial HNSW index over
-- embedding::vector(dimension), which also makes a tenant's search an index scan over its rows only.
CREATE TABLE ingest.chunks (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      text    NOT NULL,
    collection_id  bigint  NOT NULL,
    document_id    uuid    NOT NULL REFERENCES ingest.documents (id) ON DELETE CASCADE,
    position       integer NOT NULL,
    text           text    NOT NULL,
    token_count    integer NOT NULL,
    start_offset   integer NOT NULL,
    end_offset     integer NOT NULL,
    metadata       jsonb   NOT NULL DEFAULT '{}'::jsonb,
    embedding      vector  NOT NULL,
    text_search    tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
);
CREATE INDEX chunks_document_idx ON ingest.chunks (document_id, position);
CREATE INDEX chunks_text_search_idx ON ingest.chunks USING gin (text_search);

ALTER TABLE ingest.collections ENABLE ROW LEVEL SECURITY;
CREATE POLICY collections_tenant_isolation ON ingest.collections
    USING (tenant_id = current_setting('ragline.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('ragline.tenant_id', true));
ALTER TABLE ingest.documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY documents_tenant_isolation ON ingest.documents
    USING (tenant_id = current_setting('ragline.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('ragline.tenant_id', true));
ALTER TABLE ingest.chunks ENABLE ROW LEVEL SECURITY;
CREATE POLICY chunks_tenant_isolation ON ingest.chunks
    USING (tenant_id = current_setting('ragline.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('ragline.tenant_id', true));

-- The runtime role may not run DDL; this function is the one DDL it may trigger: a collection and
-- its HNSW index, for the tenant its transaction declared.
CREATE FUNCTION ingest.ensure_collection(p_model text, p_dimension integer)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = ingest, public, pg_temp AS $$
DECLARE
    tenant text := current_setting('ragline.tenant_id', true);
    collection bigint;
BEGIN
    IF tenant IS NULL OR tenant = '' THEN
        RAISE EXCEPTION 'no tenant declared for this transaction';
    END IF;
    SELECT id INTO collection FROM ingest.collections
        WHERE tenant_id = tenant AND model = p_model AND dimension = p_dimension;
    IF collection IS NOT NULL THEN
        RETURN collection;
    END IF;
    INSERT INTO ingest.collections (tenant_id, name, model, dimension)
        VALUES (tenant, tenant || '_documents__' || regexp_replace(lower(p_model), '[^a-z0-9]+', '_', 'g') || '_' || p_dimension,
                p_model, p_dimension)
        ON CONFLICT (tenant_id, model, dimension) DO NOTHING
        RETURNING id INTO collection;
    IF collection IS NULL THEN
        SELECT id INTO collection FROM ingest.collections
            WHERE tenant_id = tenant AND model = p_model AND dimension = p_dimension;
        RETURN collection;
    END IF;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON ingest.chunks USING hnsw ((embedding::vector(%s)) vector_cosine_ops) WHERE collection_id = %s',
                   'chunks_hnsw_collection_' || collection, p_dimension, collection);
    RETURN collection;
END
$$;
REVOKE ALL ON FUNCTION ingest.ensure_collection(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ingest.ensure_collection(text, integer) TO ${runtime_role};
