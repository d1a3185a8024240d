-- Editions of the privacy notice, as first published: every consent names the one it was
-- given under.
CREATE TABLE privacy_notice_versions (
    version TEXT NOT NULL PRIMARY KEY,
    published_at TEXT NOT NULL,
    -- The notice as published, JSON with one document per language.
    content TEXT NOT NULL
) STRICT;

-- Consents per person and purpose. Append-only: the latest row per purpose is in force, the
-- earlier ones are the history.
CREATE TABLE consents (
    id TEXT NOT NULL PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    purpose TEXT NOT NULL CONSTRAINT consents_purpose_check
        CHECK (purpose IN ('uniikkilista_email', 'uniikkilista_sms', 'feedback_surveys')),
    granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
    source TEXT NOT NULL CONSTRAINT consents_source_check
        CHECK (source IN ('self', 'staff_written_request', 'web_form')),
    given_by TEXT NOT NULL CONSTRAINT consents_given_by_check CHECK (given_by IN ('self', 'guardian')),
    privacy_notice_version TEXT NOT NULL REFERENCES privacy_notice_versions (version),
    -- The staff member who recorded a consent given on paper or in person.
    recorded_by TEXT REFERENCES accounts (id),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX consents_customer_idx ON consents (customer_id, purpose, created_at);
