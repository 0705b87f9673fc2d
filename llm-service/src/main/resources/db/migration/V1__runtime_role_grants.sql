-- The service connects as ${runtime_role}, which may read and write rows but owns nothing,
-- so row-level security applies to it and a compromised service cannot alter the schema.
GRANT USAGE ON SCHEMA llm TO ${runtime_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA llm GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${runtime_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA llm GRANT USAGE, SELECT ON SEQUENCES TO ${runtime_role};
