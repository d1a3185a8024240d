-- Audit entries of committed changes, waiting to be chained (see the PostgreSQL migration). On
-- SQLite every change runs in the writer's batch, which chains its entries directly, so this
-- table stays empty; it exists so that both engines have one schema.
CREATE TABLE audit_pending (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    entry_id TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    actor_kind TEXT NOT NULL CONSTRAINT audit_pending_actor_kind_check
        CHECK (actor_kind IN ('account', 'integration', 'system', 'anonymous')),
    actor_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    subject_id TEXT,
    request_id TEXT,
    client_ip TEXT
) STRICT;
