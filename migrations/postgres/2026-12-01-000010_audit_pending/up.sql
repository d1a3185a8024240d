-- Audit entries of committed changes, waiting to be chained. A change inserts its entry here in
-- its own transaction, so the entry is durable with the change, without taking the chain head:
-- concurrent changes no longer queue behind each other's commit for it. The server's writer
-- moves pending entries into audit_events in batches (locking the head once per batch), and a
-- request is answered only after its entries are chained; what a crash leaves here is chained
-- at the next start.
CREATE TABLE audit_pending (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id uuid NOT NULL,
    occurred_at timestamptz NOT NULL,
    actor_kind text NOT NULL CONSTRAINT audit_pending_actor_kind_check
        CHECK (actor_kind IN ('account', 'integration', 'system', 'anonymous')),
    actor_id uuid,
    action text NOT NULL,
    target_type text NOT NULL,
    target_id text,
    subject_id uuid,
    request_id text,
    client_ip text
);
