-- The job record keeps its parameters masked; the real secrets (a database password, an API's auth header)
-- are kept here sealed with AES-GCM under rake.secrets.key, so whichever instance runs the job can open them.
-- Never returned by the API; cleared when the job completes.
ALTER TABLE ingest.jobs ADD COLUMN sealed_params bytea;
