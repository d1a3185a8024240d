-- Refresh tokens. A family is one login session: each rotation adds a token to it, and
-- presenting a token that was already rotated revokes the whole family (stolen-token detection).
CREATE TABLE refresh_tokens (
    id uuid PRIMARY KEY,
    family_id uuid NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    -- SHA-256 of the opaque token; the token itself is never stored.
    token_hash text NOT NULL CONSTRAINT refresh_tokens_token_hash_key UNIQUE,
    -- A session opened with a one-time password may only change the password.
    password_change_only boolean NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_account_idx ON refresh_tokens (account_id);

-- Every login attempt: the "identification and usage data" of the privacy notice, and the
-- input of login throttling.
CREATE TABLE login_events (
    id uuid PRIMARY KEY,
    account_id uuid REFERENCES accounts (id),
    -- Keyed hash of the login name tried: throttles known and unknown emails alike, so a 429
    -- does not reveal whether an account exists.
    login_name_hash text NOT NULL,
    occurred_at timestamptz NOT NULL,
    outcome text NOT NULL CONSTRAINT login_events_outcome_check
        CHECK (outcome IN ('success', 'bad_credentials', 'inactive', 'throttled')),
    client_ip text,
    user_agent text
);
CREATE INDEX login_events_account_idx ON login_events (account_id, occurred_at);
CREATE INDEX login_events_login_name_idx ON login_events (login_name_hash, occurred_at);
CREATE INDEX login_events_client_ip_idx ON login_events (client_ip, occurred_at);

-- The online calendar and the webshop: processors that call us with an API key.
CREATE TABLE integrations (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL CONSTRAINT integrations_kind_check CHECK (kind IN ('calendar', 'webshop')),
    -- Space-separated scopes, e.g. 'calendar'.
    scopes text NOT NULL,
    processor_company text NOT NULL,
    -- ISO 3166-1 alpha-2 country where the processor keeps the data.
    processor_country text NOT NULL,
    processor_in_eea boolean NOT NULL,
    -- The first characters of the key, to recognise it in lists; the key is stored hashed.
    key_prefix text NOT NULL,
    key_hash text NOT NULL CONSTRAINT integrations_key_hash_key UNIQUE,
    -- Needed in clear to verify the HMAC signatures of the integration's webhooks.
    webhook_secret text NOT NULL,
    created_by uuid REFERENCES accounts (id),
    created_at timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at timestamptz
);

-- Who touched whose data: append-only, hash-chained. IDs only, never names or contact details.
CREATE TABLE audit_events (
    seq bigint PRIMARY KEY,
    id uuid NOT NULL CONSTRAINT audit_events_id_key UNIQUE,
    occurred_at timestamptz NOT NULL,
    actor_kind text NOT NULL CONSTRAINT audit_events_actor_kind_check
        CHECK (actor_kind IN ('account', 'integration', 'system', 'anonymous')),
    actor_id uuid,
    action text NOT NULL,
    target_type text NOT NULL,
    target_id text,
    -- The person the data is about, where there is one.
    subject_id uuid,
    request_id text,
    client_ip text,
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, seq);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_id, seq);
CREATE INDEX audit_events_action_idx ON audit_events (action, seq);
CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- The head of the chain: one row, locked by every append so that entries chain in order even
-- when several servers share the database.
CREATE TABLE audit_chain_head (
    id integer PRIMARY KEY CONSTRAINT audit_chain_head_single_row CHECK (id = 1),
    seq bigint NOT NULL,
    hash text NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
