-- Run as the PostgreSQL superuser against each RAGline database (ragline and ragline_test).
-- Idempotent: every statement checks before it creates.
CREATE EXTENSION IF NOT EXISTS vector;

-- psql variables do not reach inside a DO block; custom settings do.
SET ragline.owner_password = :'owner_password';
SET ragline.runtime_password = :'runtime_password';

DO $$
DECLARE
    service text;
BEGIN
    FOREACH service IN ARRAY ARRAY['api', 'llm', 'worker', 'ingest'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = format('ragline_%s_owner', service)) THEN
            EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', format('ragline_%s_owner', service), current_setting('ragline.owner_password'));
        END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = format('ragline_%s', service)) THEN
            EXECUTE format('CREATE ROLE %I LOGIN NOBYPASSRLS PASSWORD %L', format('ragline_%s', service), current_setting('ragline.runtime_password'));
        END IF;
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service, format('ragline_%s_owner', service));
        EXECUTE format('ALTER ROLE %I SET search_path = %I, public', format('ragline_%s', service), service);
        EXECUTE format('ALTER ROLE %I SET search_path = %I, public', format('ragline_%s_owner', service), service);
    END LOOP;
END
$$;
