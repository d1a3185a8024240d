-- People who log in: staff (admin, office, teacher) and customers. Identity work builds on it.
-- STRICT tables: SQLite refuses a value of the wrong type instead of storing it.
CREATE TABLE accounts (
    id TEXT NOT NULL PRIMARY KEY,
    -- The login name, stored lower-cased so it is unique case-insensitively on both engines.
    email TEXT NOT NULL CONSTRAINT accounts_email_key UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CONSTRAINT accounts_role_check
        CHECK (role IN ('admin', 'office', 'teacher', 'customer')),
    -- argon2id PHC string; NULL until a password or one-time password is set.
    password_hash TEXT,
    -- A one-time password handed out by staff: it only allows changing the password.
    password_is_one_time INTEGER NOT NULL DEFAULT 0 CHECK (password_is_one_time IN (0, 1)),
    password_expires_at TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    last_login_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Bumped on every change; the ETag of the resource.
    version INTEGER NOT NULL DEFAULT 1
) STRICT;

-- Idempotency-Key support for creating POSTs: the first response is kept and replayed.
CREATE TABLE idempotency_keys (
    -- Who sent the key (account or integration id): keys are scoped per caller.
    principal TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_method TEXT NOT NULL,
    request_path TEXT NOT NULL,
    -- SHA-256 of the request body: the same key with another body is refused.
    request_fingerprint TEXT NOT NULL,
    -- NULL while the first request is still in flight.
    response_status INTEGER,
    response_headers TEXT,
    response_body TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (principal, idempotency_key)
) STRICT;
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
