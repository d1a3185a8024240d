-- A login attempt is recorded as 'checking' before its password is checked and settled when the
-- check ends, so that simultaneous attempts on one login name count one another (30 guesses sent
-- at once must not all be checked) while simultaneous correct logins wait for one another
-- instead of being refused. SQLite cannot change a CHECK constraint: the table is rebuilt.
CREATE TABLE login_events_new (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT REFERENCES accounts (id),
    -- Keyed hash of the login name tried: throttles known and unknown emails alike, so a 429
    -- does not reveal whether an account exists.
    login_name_hash TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    outcome TEXT NOT NULL CONSTRAINT login_events_outcome_check
        CHECK (outcome IN ('success', 'bad_credentials', 'inactive', 'throttled', 'checking')),
    client_ip TEXT,
    user_agent TEXT
) STRICT;
INSERT INTO login_events_new (id, account_id, login_name_hash, occurred_at, outcome, client_ip, user_agent)
    SELECT id, account_id, login_name_hash, occurred_at, outcome, client_ip, user_agent FROM login_events;
DROP TABLE login_events;
ALTER TABLE login_events_new RENAME TO login_events;
CREATE INDEX login_events_account_idx ON login_events (account_id, occurred_at);
CREATE INDEX login_events_login_name_idx ON login_events (login_name_hash, occurred_at);
CREATE INDEX login_events_client_ip_idx ON login_events (client_ip, occurred_at);
