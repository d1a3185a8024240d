-- What people ask of the register (access, erasure, …), with the one-month deadline.
CREATE TABLE privacy_requests (
    id uuid PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id),
    kind text NOT NULL CONSTRAINT privacy_requests_kind_check
        CHECK (kind IN ('access', 'rectification', 'erasure', 'restriction', 'objection', 'portability')),
    status text NOT NULL CONSTRAINT privacy_requests_status_check
        CHECK (status IN ('received', 'in_progress', 'completed', 'rejected')),
    description text,
    filed_by text NOT NULL CONSTRAINT privacy_requests_filed_by_check CHECK (filed_by IN ('self', 'staff')),
    -- For requests received on paper or in person: how the person's identity was verified.
    identity_verification text,
    received_at timestamptz NOT NULL,
    due_on date NOT NULL,
    extension_reason text,
    -- What was done, or why the request was rejected.
    resolution text,
    recorded_by uuid REFERENCES accounts (id),
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1
);
CREATE INDEX privacy_requests_due_idx ON privacy_requests (status, due_on);
CREATE INDEX privacy_requests_customer_idx ON privacy_requests (customer_id);
