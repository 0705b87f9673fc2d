-- Transactional outbox: every product and order change inserts its event here in the same
-- transaction as the change. worker-service relays unpublished rows to Kafka (claiming them with
-- FOR UPDATE SKIP LOCKED), marks them published after the broker acknowledged, and prunes them later.
-- The body on Kafka is contracts' EventEnvelope built from these columns (schema: events/<family>_v<version>.json).
CREATE TABLE outbox (
    event_id          uuid        PRIMARY KEY,
    event_type        text        NOT NULL,
    version           integer     NOT NULL DEFAULT 1,
    tenant_id         uuid        NOT NULL,
    aggregate_type    text        NOT NULL CHECK (aggregate_type IN ('order', 'product')),
    aggregate_id      uuid        NOT NULL,
    aggregate_version bigint      NOT NULL,
    occurred_at       timestamptz NOT NULL DEFAULT now(),
    payload           jsonb       NOT NULL,
    traceparent       text,
    published_at      timestamptz,
    attempts          integer     NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    last_error        text,
    UNIQUE (aggregate_type, aggregate_id, aggregate_version)
);

-- The relay's work queue: only unpublished rows, in commit order per aggregate.
CREATE INDEX outbox_unpublished_idx ON outbox (next_attempt_at, occurred_at) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes the relay at once instead of at its next poll.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ragline_outbox', NEW.aggregate_type);
    RETURN NULL;
END
$$;
CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- The relay (worker-service's runtime role) reads, marks and prunes rows of every tenant.
GRANT USAGE ON SCHEMA api TO ${outbox_relay_role};
GRANT SELECT, UPDATE, DELETE ON outbox TO ${outbox_relay_role};
