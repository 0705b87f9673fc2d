-- Full-text matches for hybrid search. Under row-level security PostgreSQL cannot serve
-- `text_search @@ query` from the GIN index: the match operator is not leakproof, so it may only run
-- after the policy's filter, on every row (a sequential scan of the table: ~350 ms at 100k chunks).
-- This function runs as the schema owner, applies the same tenant rule as the policy itself (the
-- tenant the transaction declared), so the GIN index serves the match; it returns only chunk ids and
-- ranks, which the caller joins back to chunks under RLS. The optional filters are the search API's
-- (source, metadata containment, document id), applied before the limit so that filtered searches
-- still get p_limit matches.
CREATE FUNCTION ingest.match_chunks(p_collection bigint, p_query text, p_limit integer, p_source text,
                                    p_metadata jsonb, p_document uuid)
    RETURNS TABLE (chunk_id bigint, text_rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 40 SET search_path = ingest, public, pg_temp AS $$
DECLARE
    tenant text := current_setting('ragline.tenant_id', true);
BEGIN
    IF tenant IS NULL OR tenant = '' THEN
        RAISE EXCEPTION 'no tenant declared for this transaction';
    END IF;
    RETURN QUERY
        SELECT c.id, ts_rank_cd(c.text_search, q)
        FROM ingest.chunks c, websearch_to_tsquery('english', p_query) q
        WHERE c.tenant_id = tenant AND c.collection_id = p_collection AND c.text_search @@ q
          AND (p_document IS NULL OR c.document_id = p_document)
          AND (p_source IS NULL AND p_metadata IS NULL OR c.document_id IN (
                SELECT d.id FROM ingest.documents d
                WHERE d.tenant_id = tenant AND (p_source IS NULL OR d.source = p_source)
                  AND (p_metadata IS NULL OR d.metadata @> p_metadata)))
        ORDER BY 2 DESC, 1
        LIMIT p_limit;
END
$$;
REVOKE ALL ON FUNCTION ingest.match_chunks(bigint, text, integer, text, jsonb, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ingest.match_chunks(bigint, text, integer, text, jsonb, uuid) TO ${runtime_role};
