-- What people ask of the register (access, erasure, …), with the one-month deadline.
CREATE TABLE privacy_requests (
    id TEXT NOT NULL PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    kind TEXT NOT NULL CONSTRAINT privacy_requests_kind_check
        CHECK (kind IN ('access', 'rectification', 'erasure', 'restriction', 'objection', 'portability')),
    status TEXT NOT NULL CONSTRAINT privacy_requests_status_check
        CHECK (status IN ('received', 'in_progress', 'completed', 'rejected')),
    description TEXT,
    filed_by TEXT NOT NULL CONSTRAINT privacy_requests_filed_by_check CHECK (filed_by IN ('self', 'staff')),
    -- For requests received on paper or in person: how the person's identity was verified.
    identity_verification TEXT,
    received_at TEXT NOT NULL,
    due_on TEXT NOT NULL,
    extension_reason TEXT,
    -- What was done, or why the request was rejected.
    resolution TEXT,
    recorded_by TEXT REFERENCES accounts (id),
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX privacy_requests_due_idx ON privacy_requests (status, due_on);
CREATE INDEX privacy_requests_customer_idx ON privacy_requests (customer_id);
