-- The searchable copy of each tenant's catalogue, kept current from ragline.products.
-- Deleted products stay as tombstones so a late redelivery of an older upsert cannot resurrect them.
CREATE TABLE catalogue_items (
    tenant_id         uuid          NOT NULL,
    product_id        uuid          NOT NULL,
    sku               text          NOT NULL,
    name              text          NOT NULL DEFAULT '',
    description       text,
    category          text          NOT NULL DEFAULT '',
    tags              text[]        NOT NULL DEFAULT '{}',
    price             numeric(12,2) NOT NULL DEFAULT 0,
    currency          char(3)       NOT NULL DEFAULT 'EUR',
    available         boolean       NOT NULL DEFAULT false,
    deleted           boolean       NOT NULL DEFAULT false,
    aggregate_version bigint        NOT NULL DEFAULT 0,
    embedding         vector(384),
    indexed_at        timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, product_id)
);

CREATE INDEX catalogue_items_embedding_idx ON catalogue_items USING hnsw (embedding vector_cosine_ops);
CREATE INDEX catalogue_items_tags_idx ON catalogue_items USING gin (tags);

-- Every statement the service runs names its tenant in the transaction setting ragline.tenant_id;
-- the policy makes a forgotten filter return nothing instead of another tenant's products.
ALTER TABLE catalogue_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY catalogue_items_tenant_isolation ON catalogue_items
    USING (tenant_id = NULLIF(current_setting('ragline.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('ragline.tenant_id', true), '')::uuid);
