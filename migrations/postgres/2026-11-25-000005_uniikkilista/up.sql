-- UniikkiLista: people who asked for email or SMS notices of cancellation slots and upcoming
-- enrolments. A channel is active once confirmed (double opt-in) and until unsubscribed.
CREATE TABLE uniikkilista_subscriptions (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    -- Required under 18; under 13 the guardian gives the consent.
    guardian_name text,
    age integer NOT NULL CONSTRAINT uniikkilista_age_check CHECK (age BETWEEN 0 AND 120),
    email text,
    phone text,
    language text NOT NULL CONSTRAINT uniikkilista_language_check CHECK (language IN ('fi', 'sv', 'en')),
    wants_email boolean NOT NULL,
    wants_sms boolean NOT NULL,
    email_confirmed_at timestamptz,
    sms_confirmed_at timestamptz,
    email_unsubscribed_at timestamptz,
    sms_unsubscribed_at timestamptz,
    topic_cancellation_slots boolean NOT NULL,
    topic_upcoming_enrolments boolean NOT NULL,
    -- The privacy notice shown when the consent was given.
    privacy_notice_version text NOT NULL,
    consent_given_by text NOT NULL CONSTRAINT uniikkilista_consent_by_check CHECK (consent_given_by IN ('self', 'guardian')),
    customer_id uuid REFERENCES customers (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT uniikkilista_email_channel CHECK (NOT wants_email OR email IS NOT NULL),
    CONSTRAINT uniikkilista_sms_channel CHECK (NOT wants_sms OR phone IS NOT NULL)
);
CREATE INDEX uniikkilista_subscriptions_customer_idx ON uniikkilista_subscriptions (customer_id);

-- Confirmation codes and unsubscribe tokens, stored hashed; each belongs to one channel.
CREATE TABLE uniikkilista_tokens (
    token_hash text PRIMARY KEY,
    subscription_id uuid NOT NULL REFERENCES uniikkilista_subscriptions (id),
    purpose text NOT NULL CONSTRAINT uniikkilista_tokens_purpose_check CHECK (purpose IN ('confirm', 'unsubscribe')),
    channel text NOT NULL CONSTRAINT uniikkilista_tokens_channel_check CHECK (channel IN ('email', 'sms')),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL
);
CREATE INDEX uniikkilista_tokens_subscription_idx ON uniikkilista_tokens (subscription_id);
