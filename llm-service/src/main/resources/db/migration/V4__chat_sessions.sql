-- The durable record of each conversation (what GET /v1/chat/sessions/{id} shows); the model's
-- working memory is a bounded window in Redis.
CREATE TABLE chat_sessions (
    id         uuid        PRIMARY KEY,
    tenant_id  uuid        NOT NULL,
    user_id    text        NOT NULL,
    title      text        NOT NULL,
    turns      integer     NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_sessions_owner_idx ON chat_sessions (tenant_id, user_id, updated_at DESC);

CREATE TABLE chat_messages (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id     uuid        NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
    tenant_id      uuid        NOT NULL,
    turn           integer     NOT NULL,
    role           text        NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
    content        text,
    tool_call_id   text,
    tool_name      text,
    tool_arguments jsonb,
    tool_result    jsonb,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_session_idx ON chat_messages (session_id, id);

ALTER TABLE chat_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY chat_sessions_tenant_isolation ON chat_sessions
    USING (tenant_id = NULLIF(current_setting('ragline.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('ragline.tenant_id', true), '')::uuid);
ALTER TABLE chat_messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY chat_messages_tenant_isolation ON chat_messages
    USING (tenant_id = NULLIF(current_setting('ragline.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('ragline.tenant_id', true), '')::uuid);
