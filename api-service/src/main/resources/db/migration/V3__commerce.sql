-- Tenants, identity, catalogue, promotions, orders and idempotency keys.
-- Every tenant-owned table carries tenant_id and row-level security: the runtime role sees only the
-- rows of the tenant its transaction declared with set_config('ragline.tenant_id', ..., true),
-- so a query that forgets its tenant filter still leaks nothing. The registry of tenants itself
-- is not tenant-owned: login must find a tenant by slug before any tenant is known.

CREATE FUNCTION current_tenant() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('ragline.tenant_id', true), '')::uuid
$$;

CREATE TABLE tenants (
    id         uuid        PRIMARY KEY,
    slug       text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    email         text        NOT NULL,
    password_hash text        NOT NULL,
    roles         text[]      NOT NULL CHECK (roles <@ ARRAY['customer', 'staff', 'admin', 'platform_admin']::text[]),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, email)
);

-- Opaque refresh tokens, stored as SHA-256 hashes. A token is used once: refreshing marks it used
-- and issues the next one of the same family; presenting a used token revokes the whole family.
CREATE TABLE refresh_tokens (
    id         uuid        PRIMARY KEY,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    user_id    uuid        NOT NULL REFERENCES users (id),
    family_id  uuid        NOT NULL,
    token_hash text        NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- Failed logins per tenant and email (also for unknown emails, so probing is throttled too).
CREATE TABLE login_failures (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    email           text        NOT NULL,
    failures        integer     NOT NULL,
    last_failed_at  timestamptz NOT NULL,
    locked_until    timestamptz,
    PRIMARY KEY (tenant_id, email)
);

CREATE TABLE products (
    id          uuid          PRIMARY KEY,
    tenant_id   uuid          NOT NULL REFERENCES tenants (id),
    sku         text          NOT NULL,
    name        text          NOT NULL,
    description text,
    price       numeric(12,2) NOT NULL CHECK (price >= 0),
    currency    char(3)       NOT NULL,
    category    text          NOT NULL,
    tags        text[]        NOT NULL DEFAULT '{}',
    available   boolean       NOT NULL DEFAULT true,
    version     bigint        NOT NULL DEFAULT 1,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    updated_at  timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, sku)
);
CREATE INDEX products_tenant_category_idx ON products (tenant_id, category);
CREATE INDEX products_tags_idx ON products USING gin (tags);

CREATE TABLE promotions (
    id           uuid          PRIMARY KEY,
    tenant_id    uuid          NOT NULL REFERENCES tenants (id),
    code         text          NOT NULL,
    kind         text          NOT NULL CHECK (kind IN ('percent', 'fixed')),
    amount       numeric(12,2) NOT NULL CHECK (amount > 0),
    min_subtotal numeric(12,2) NOT NULL DEFAULT 0,
    category     text,
    valid_from   timestamptz,
    valid_until  timestamptz,
    usage_limit  integer       CHECK (usage_limit > 0),
    used_count   integer       NOT NULL DEFAULT 0,
    active       boolean       NOT NULL DEFAULT true,
    created_at   timestamptz   NOT NULL DEFAULT now(),
    updated_at   timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, code)
);

CREATE TABLE orders (
    id         uuid          PRIMARY KEY,
    tenant_id  uuid          NOT NULL REFERENCES tenants (id),
    user_id    uuid          NOT NULL REFERENCES users (id),
    status     text          NOT NULL CHECK (status IN ('pending', 'confirmed', 'preparing', 'ready', 'completed', 'cancelled')),
    items      jsonb         NOT NULL,
    promo_code text,
    subtotal   numeric(12,2) NOT NULL,
    discount   numeric(12,2) NOT NULL,
    total      numeric(12,2) NOT NULL,
    currency   char(3)       NOT NULL,
    version    bigint        NOT NULL DEFAULT 1,
    created_at timestamptz   NOT NULL DEFAULT now(),
    updated_at timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX orders_tenant_user_idx ON orders (tenant_id, user_id, created_at DESC);
CREATE INDEX orders_tenant_status_idx ON orders (tenant_id, status, created_at DESC);

-- Idempotency-Key of POST /v1/orders, per tenant and user. The row is inserted in the same
-- transaction that creates the order, so a concurrent duplicate blocks on it and then replays.
CREATE TABLE idempotency_keys (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    user_id         uuid        NOT NULL REFERENCES users (id),
    idempotency_key text        NOT NULL,
    request_hash    text        NOT NULL,
    response_status integer     NOT NULL,
    response_body   jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'refresh_tokens', 'login_failures', 'products', 'promotions', 'orders', 'idempotency_keys'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_tenant()) WITH CHECK (tenant_id = current_tenant())', t);
    END LOOP;
END
$$;

-- Housekeeping runs without a tenant: it may remove expired keys and tokens of every tenant, nothing else.
CREATE POLICY prune_expired ON idempotency_keys FOR DELETE USING (expires_at < now());
CREATE POLICY prune_expired ON refresh_tokens FOR DELETE USING (expires_at < now());

-- The outbox is written by the service for its tenant and relayed for every tenant by the worker.
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox TO ${runtime_role} USING (tenant_id = current_tenant()) WITH CHECK (tenant_id = current_tenant());
CREATE POLICY relay_all_tenants ON outbox TO ${outbox_relay_role} USING (true) WITH CHECK (true);
