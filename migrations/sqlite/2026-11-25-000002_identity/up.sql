-- Refresh tokens. A family is one login session: each rotation adds a token to it, and
-- presenting a token that was already rotated revokes the whole family (stolen-token detection).
CREATE TABLE refresh_tokens (
    id TEXT NOT NULL PRIMARY KEY,
    family_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    -- SHA-256 of the opaque token; the token itself is never stored.
    token_hash TEXT NOT NULL CONSTRAINT refresh_tokens_token_hash_key UNIQUE,
    -- A session opened with a one-time password may only change the password.
    password_change_only INTEGER NOT NULL CHECK (password_change_only IN (0, 1)),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    revoked_at TEXT
) STRICT;
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_account_idx ON refresh_tokens (account_id);

-- Every login attempt: the "identification and usage data" of the privacy notice, and the
-- input of login throttling.
CREATE TABLE login_events (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT REFERENCES accounts (id),
    -- Keyed hash of the login name tried: throttles known and unknown emails alike, so a 429
    -- does not reveal whether an account exists.
    login_name_hash TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    outcome TEXT NOT NULL CONSTRAINT login_events_outcome_check
        CHECK (outcome IN ('success', 'bad_credentials', 'inactive', 'throttled')),
    client_ip TEXT,
    user_agent TEXT
) STRICT;
CREATE INDEX login_events_account_idx ON login_events (account_id, occurred_at);
CREATE INDEX login_events_login_name_idx ON login_events (login_name_hash, occurred_at);
CREATE INDEX login_events_client_ip_idx ON login_events (client_ip, occurred_at);

-- The online calendar and the webshop: processors that call us with an API key.
CREATE TABLE integrations (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT integrations_kind_check CHECK (kind IN ('calendar', 'webshop')),
    -- Space-separated scopes, e.g. 'calendar'.
    scopes TEXT NOT NULL,
    processor_company TEXT NOT NULL,
    -- ISO 3166-1 alpha-2 country where the processor keeps the data.
    processor_country TEXT NOT NULL,
    processor_in_eea INTEGER NOT NULL CHECK (processor_in_eea IN (0, 1)),
    -- The first characters of the key, to recognise it in lists; the key is stored hashed.
    key_prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL CONSTRAINT integrations_key_hash_key UNIQUE,
    -- Needed in clear to verify the HMAC signatures of the integration's webhooks.
    webhook_secret TEXT NOT NULL,
    created_by TEXT REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
) STRICT;

-- Who touched whose data: append-only, hash-chained. IDs only, never names or contact details.
CREATE TABLE audit_events (
    seq INTEGER NOT NULL PRIMARY KEY,
    id TEXT NOT NULL CONSTRAINT audit_events_id_key UNIQUE,
    occurred_at TEXT NOT NULL,
    actor_kind TEXT NOT NULL CONSTRAINT audit_events_actor_kind_check
        CHECK (actor_kind IN ('account', 'integration', 'system', 'anonymous')),
    actor_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    -- The person the data is about, where there is one.
    subject_id TEXT,
    request_id TEXT,
    client_ip TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_id, seq);
CREATE INDEX audit_events_action_idx ON audit_events (action, seq);
CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- The head of the chain: one row, updated by every append (under SQLite's write lock).
CREATE TABLE audit_chain_head (
    id INTEGER NOT NULL PRIMARY KEY CONSTRAINT audit_chain_head_single_row CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_chain_head (id, seq, hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
