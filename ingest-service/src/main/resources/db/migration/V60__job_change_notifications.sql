-- Every committed change of a job is announced on the channel rake_job_changes with the job's id, whichever
-- instance or statement made it (runner, reaper, cancel, retry), so the progress streams of every instance
-- follow the job's own changes instead of sampling it. The payload is the id alone: a listener reads the job
-- back under its caller's tenant. NOTIFY is delivered at commit, so a listener never reads an uncommitted state.
CREATE FUNCTION ingest.announce_job_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('rake_job_changes', NEW.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_announce_change
    AFTER UPDATE ON ingest.jobs
    FOR EACH ROW
EXECUTE FUNCTION ingest.announce_job_change();
