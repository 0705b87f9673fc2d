-- One HNSW graph shared by all tenants lost recall once a tenant filter was applied after the approximate
-- scan (small tenants got wrong neighbours), so retrieval stopped using it. Instead, a tenant whose
-- catalogue grows past a threshold gets its own partial HNSW index (WHERE tenant_id = that tenant): its
-- graph holds only its own products, so an approximate scan of it cannot be crowded out by other tenants.
-- Smaller tenants are ranked exactly, which is cheap at their size.
DROP INDEX IF EXISTS catalogue_items_embedding_idx;

-- The runtime role may not run DDL; this function is the one DDL it may trigger: the partial HNSW index
-- of the tenant its transaction declared, once that tenant has at least p_threshold products.
-- Returns whether the tenant has its index.
CREATE OR REPLACE FUNCTION llm.ensure_tenant_vector_index(p_threshold integer)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = llm, public, pg_temp AS $$
DECLARE
    tenant uuid := NULLIF(current_setting('ragline.tenant_id', true), '')::uuid;
    index_name text;
BEGIN
    IF tenant IS NULL THEN
        RAISE EXCEPTION 'no tenant declared for this transaction';
    END IF;
    index_name := 'catalogue_items_hnsw_' || replace(tenant::text, '-', '');
    IF to_regclass('llm.' || index_name) IS NOT NULL THEN
        RETURN true;
    END IF;
    IF (SELECT count(*) FROM llm.catalogue_items WHERE tenant_id = tenant AND NOT deleted) < p_threshold THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON llm.catalogue_items USING hnsw (embedding vector_cosine_ops) '
                   || 'WHERE tenant_id = %L::uuid', index_name, tenant);
    -- Fresh statistics, so the planner knows this tenant is large and picks its index rather than sorting
    -- all its rows (a bulk load or rebuild is usually not analysed yet when the index appears).
    ANALYZE llm.catalogue_items;
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION llm.ensure_tenant_vector_index(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION llm.ensure_tenant_vector_index(integer) TO ${runtime_role};
