-- Editions of the privacy notice, as first published: every consent names the one it was
-- given under.
CREATE TABLE privacy_notice_versions (
    version text PRIMARY KEY,
    published_at timestamptz NOT NULL,
    -- The notice as published, JSON with one document per language.
    content text NOT NULL
);

-- Consents per person and purpose. Append-only: the latest row per purpose is in force, the
-- earlier ones are the history.
CREATE TABLE consents (
    id uuid PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id),
    purpose text NOT NULL CONSTRAINT consents_purpose_check
        CHECK (purpose IN ('uniikkilista_email', 'uniikkilista_sms', 'feedback_surveys')),
    granted boolean NOT NULL,
    source text NOT NULL CONSTRAINT consents_source_check
        CHECK (source IN ('self', 'staff_written_request', 'web_form')),
    given_by text NOT NULL CONSTRAINT consents_given_by_check CHECK (given_by IN ('self', 'guardian')),
    privacy_notice_version text NOT NULL REFERENCES privacy_notice_versions (version),
    -- The staff member who recorded a consent given on paper or in person.
    recorded_by uuid REFERENCES accounts (id),
    created_at timestamptz NOT NULL
);
CREATE INDEX consents_customer_idx ON consents (customer_id, purpose, created_at);
