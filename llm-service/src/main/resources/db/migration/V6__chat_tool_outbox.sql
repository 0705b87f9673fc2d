-- chat_tool_executed events, written in the same transaction as the tool call's record in its session and
-- relayed to Kafka by llm-service (ChatToolRelay), which deletes a row only once the broker acknowledged
-- it: an accepted event survives a crash, a restart or a broker outage. The event is kept as the exact
-- text that is published. No row-level security: the relay reads every tenant's rows, and no request
-- ever reads this table.
CREATE TABLE chat_tool_outbox (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id   uuid        NOT NULL UNIQUE,
    tenant_id  uuid        NOT NULL,
    session_id uuid        NOT NULL,
    event      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
