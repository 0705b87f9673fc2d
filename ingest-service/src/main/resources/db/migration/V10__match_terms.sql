-- Full-text candidates for hybrid and text search, ranked by how rare the query terms they contain are.
-- match_chunks (V5) ANDs every word of the query (websearch_to_tsquery), so a question asked in plain
-- words matches nothing and hybrid search was vector search alone. Here the query arrives already split
-- into terms (identifiers, dotted, hyphenated and numeric terms kept whole, quoted phrases as phrases;
-- QueryTerms in Java); a chunk scores the sum of the inverse document frequencies of the terms it
-- contains, so one rare term outweighs several common ones. A term's document frequency is counted
-- only up to p_df_cap chunks (the GIN index answers it), which keeps the count cheap on large
-- collections; a term at least that common still scores but brings in no candidates of its own (only
-- chunks that contain every term, or a rarer one), so the candidate set stays small.
-- SECURITY DEFINER for the same reason as match_chunks: under RLS the GIN index could not serve `@@`.
CREATE FUNCTION ingest.match_terms(p_collection bigint, p_terms text[], p_limit integer, p_df_cap integer,
                                   p_source text, p_metadata jsonb, p_document uuid)
    RETURNS TABLE (chunk_id bigint, text_rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 40 SET search_path = ingest, public, pg_temp AS $$
DECLARE
    tenant text := current_setting('ragline.tenant_id', true);
BEGIN
    IF tenant IS NULL OR tenant = '' THEN
        RAISE EXCEPTION 'no tenant declared for this transaction';
    END IF;
    RETURN QUERY
        WITH terms AS MATERIALIZED (
            SELECT q.q
            FROM unnest(p_terms) AS t(term), LATERAL (SELECT phraseto_tsquery('english', t.term) AS q) q
            WHERE numnode(q.q) > 0
        ), counted AS MATERIALIZED (
            SELECT terms.q, (SELECT count(*) FROM (SELECT 1 FROM ingest.chunks c
                                                  WHERE c.tenant_id = tenant AND c.collection_id = p_collection
                                                    AND c.text_search @@ terms.q
                                                  LIMIT p_df_cap) x) AS df
            FROM terms
        ), weighted AS MATERIALIZED (
            SELECT counted.q, counted.df, ln(1 + p_df_cap::float8 / counted.df) AS idf
            FROM counted WHERE counted.df > 0
        ), every_term AS MATERIALIZED (
            SELECT tsquery_and_all.q FROM (
                SELECT (string_agg('(' || weighted.q::text || ')', ' & '))::tsquery AS q FROM weighted) tsquery_and_all
            WHERE tsquery_and_all.q IS NOT NULL
        ), candidates AS MATERIALIZED (
            SELECT c.id, c.text_search, c.document_id
            FROM weighted w JOIN ingest.chunks c ON c.text_search @@ w.q
            WHERE w.df < p_df_cap AND c.tenant_id = tenant AND c.collection_id = p_collection
            UNION
            SELECT c.id, c.text_search, c.document_id
            FROM every_term e JOIN ingest.chunks c ON c.text_search @@ e.q
            WHERE c.tenant_id = tenant AND c.collection_id = p_collection
        )
        SELECT m.id, (SELECT sum(w.idf * (1 + least(ts_rank_cd(m.text_search, w.q), 1)))
                      FROM weighted w WHERE m.text_search @@ w.q)::real
        FROM candidates m
        WHERE (p_document IS NULL OR m.document_id = p_document)
          AND (p_source IS NULL AND p_metadata IS NULL OR m.document_id IN (
                SELECT d.id FROM ingest.documents d
                WHERE d.tenant_id = tenant AND (p_source IS NULL OR d.source = p_source)
                  AND (p_metadata IS NULL OR d.metadata @> p_metadata)))
        ORDER BY 2 DESC, 1
        LIMIT p_limit;
END
$$;
REVOKE ALL ON FUNCTION ingest.match_terms(bigint, text[], integer, integer, text, jsonb, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ingest.match_terms(bigint, text[], integer, integer, text, jsonb, uuid) TO ${runtime_role};
