-- People who log in: staff (admin, office, teacher) and customers. Identity work builds on it.
CREATE TABLE accounts (
    id uuid PRIMARY KEY,
    -- The login name, stored lower-cased so it is unique case-insensitively on both engines.
    email text NOT NULL CONSTRAINT accounts_email_key UNIQUE,
    display_name text NOT NULL,
    role text NOT NULL CONSTRAINT accounts_role_check
        CHECK (role IN ('admin', 'office', 'teacher', 'customer')),
    -- argon2id PHC string; NULL until a password or one-time password is set.
    password_hash text,
    -- A one-time password handed out by staff: it only allows changing the password.
    password_is_one_time boolean NOT NULL DEFAULT false,
    password_expires_at timestamptz,
    active boolean NOT NULL DEFAULT true,
    last_login_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    -- Bumped on every change; the ETag of the resource.
    version bigint NOT NULL DEFAULT 1
);

-- Idempotency-Key support for creating POSTs: the first response is kept and replayed.
CREATE TABLE idempotency_keys (
    -- Who sent the key (account or integration id): keys are scoped per caller.
    principal text NOT NULL,
    idempotency_key text NOT NULL,
    request_method text NOT NULL,
    request_path text NOT NULL,
    -- SHA-256 of the request body: the same key with another body is refused.
    request_fingerprint text NOT NULL,
    -- NULL while the first request is still in flight.
    response_status integer,
    response_headers text,
    response_body text,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (principal, idempotency_key)
);
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
