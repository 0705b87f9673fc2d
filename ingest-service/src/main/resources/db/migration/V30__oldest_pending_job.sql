-- The age of the oldest job waiting for an instance, across tenants, for the
-- ragline_rake_oldest_pending_job_age_seconds gauge: one number, no ids, no tenants.
CREATE FUNCTION ingest.oldest_pending_job_age_seconds()
    RETURNS double precision
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ingest, pg_temp AS $$
    SELECT coalesce(extract(epoch FROM now() - min(j.created_at))::double precision, 0)
    FROM ingest.jobs j WHERE j.status = 'PENDING'
$$;
REVOKE ALL ON FUNCTION ingest.oldest_pending_job_age_seconds() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ingest.oldest_pending_job_age_seconds() TO ${runtime_role};
