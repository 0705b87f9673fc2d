-- One notification per customer-facing change: a status an order already announced is not announced again.
CREATE TABLE notified_order_statuses (
    order_id    uuid        NOT NULL,
    status      text        NOT NULL,
    tenant_id   uuid        NOT NULL,
    event_id    uuid        NOT NULL,
    notified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, status)
);

-- Where each tenant wants its order events delivered, set by the tenant's admin.
CREATE TABLE webhook_destinations (
    tenant_id  uuid        PRIMARY KEY,
    url        text        NOT NULL,
    secret     text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- An index of what was parked on <topic>.dlq, so operators can list and replay it.
CREATE TABLE dead_letters (
    id               uuid        PRIMARY KEY,
    consumer         text        NOT NULL,
    source_topic     text        NOT NULL,
    source_partition integer     NOT NULL,
    source_offset    bigint      NOT NULL,
    tenant_id        uuid,
    event_id         uuid,
    record_key       text,
    body             text        NOT NULL,
    cause            text        NOT NULL,
    status           text        NOT NULL DEFAULT 'parked' CHECK (status IN ('parked', 'recovered')),
    replay_attempts  integer     NOT NULL DEFAULT 0,
    last_replay_error text,
    parked_at        timestamptz NOT NULL DEFAULT now(),
    recovered_at     timestamptz,
    UNIQUE (consumer, source_topic, source_partition, source_offset)
);
CREATE INDEX dead_letters_tenant_idx ON dead_letters (tenant_id, parked_at);
