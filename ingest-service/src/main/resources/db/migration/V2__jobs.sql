-- Ingestion jobs. A job is stored before it is published to rake.jobs, so none accepted is lost;
-- the lease columns let another instance take over a job whose instance died.
CREATE TABLE ingest.jobs (
    id                 uuid PRIMARY KEY,
    tenant_id          text        NOT NULL,
    source             text        NOT NULL,
    params             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status             text        NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'FETCHING', 'CLEANING', 'CHUNKING', 'EMBEDDING', 'STORING',
                          'COMPLETED', 'FAILED', 'CANCELLED')),
    stages             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    documents_total    integer     NOT NULL DEFAULT 0,
    documents_done     integer     NOT NULL DEFAULT 0,
    documents_skipped  integer     NOT NULL DEFAULT 0,
    documents_failed   integer     NOT NULL DEFAULT 0,
    chunks_total       integer     NOT NULL DEFAULT 0,
    chunks_done        integer     NOT NULL DEFAULT 0,
    tokens_embedded    bigint      NOT NULL DEFAULT 0,
    cost_usd           numeric(14, 6) NOT NULL DEFAULT 0,
    errors             jsonb       NOT NULL DEFAULT '[]'::jsonb,
    error              text,
    attempts           integer     NOT NULL DEFAULT 0,
    lease_owner        text,
    lease_expires_at   timestamptz,
    dispatched_at      timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    started_at         timestamptz,
    completed_at       timestamptz
);

CREATE INDEX jobs_tenant_status_idx ON ingest.jobs (tenant_id, status);
CREATE INDEX jobs_tenant_created_idx ON ingest.jobs (tenant_id, created_at DESC);
CREATE INDEX jobs_unfinished_idx ON ingest.jobs (lease_expires_at)
    WHERE status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED');

-- Uploaded files live with their job until it completes, so whichever instance runs the job can read them.
CREATE TABLE ingest.job_files (
    id           uuid PRIMARY KEY,
    job_id       uuid    NOT NULL REFERENCES ingest.jobs (id) ON DELETE CASCADE,
    tenant_id    text    NOT NULL,
    filename     text    NOT NULL,
    media_type   text    NOT NULL,
    size_bytes   bigint  NOT NULL,
    content      bytea   NOT NULL
);
CREATE INDEX job_files_job_idx ON ingest.job_files (job_id);

-- Every row is visible only inside a transaction that declared its tenant (SET LOCAL ragline.tenant_id).
ALTER TABLE ingest.jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY jobs_tenant_isolation ON ingest.jobs
    USING (tenant_id = current_setting('ragline.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('ragline.tenant_id', true));
ALTER TABLE ingest.job_files ENABLE ROW LEVEL SECURITY;
CREATE POLICY job_files_tenant_isolation ON ingest.job_files
    USING (tenant_id = current_setting('ragline.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('ragline.tenant_id', true));

-- The reaper looks across tenants for jobs to hand out again; it sees only ids, tenants and why.
CREATE FUNCTION ingest.jobs_to_redispatch(pending_for interval)
    RETURNS TABLE (job_id uuid, tenant_id text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ingest, pg_temp AS $$
    SELECT j.id, j.tenant_id FROM ingest.jobs j
    WHERE (j.status = 'PENDING' AND (j.dispatched_at IS NULL OR j.dispatched_at < now() - pending_for))
       OR (j.status IN ('FETCHING', 'CLEANING', 'CHUNKING', 'EMBEDDING', 'STORING') AND j.lease_expires_at < now())
    ORDER BY j.created_at
    LIMIT 500
$$;
REVOKE ALL ON FUNCTION ingest.jobs_to_redispatch(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ingest.jobs_to_redispatch(interval) TO ${runtime_role};
