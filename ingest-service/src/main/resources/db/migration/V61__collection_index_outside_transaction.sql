-- ensure_collection no longer builds the collection's HNSW index: a plain CREATE INDEX in the caller's
-- transaction held a SHARE lock on ingest.chunks, which every other tenant's insert waited behind until it
-- committed. The index is now built by CollectionIndexes with CREATE INDEX CONCURRENTLY, outside any
-- transaction, which lets other tenants' inserts go on while it is built.
CREATE OR REPLACE FUNCTION ingest.ensure_collection(p_model text, p_dimension integer)
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
    END IF;
    RETURN collection;
END
$$;
