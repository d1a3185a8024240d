-- UniikkiLista: people who asked for email or SMS notices of cancellation slots and upcoming
-- enrolments. A channel is active once confirmed (double opt-in) and until unsubscribed.
CREATE TABLE uniikkilista_subscriptions (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    -- Required under 18; under 13 the guardian gives the consent.
    guardian_name TEXT,
    age INTEGER NOT NULL CONSTRAINT uniikkilista_age_check CHECK (age BETWEEN 0 AND 120),
    email TEXT,
    phone TEXT,
    language TEXT NOT NULL CONSTRAINT uniikkilista_language_check CHECK (language IN ('fi', 'sv', 'en')),
    wants_email INTEGER NOT NULL CHECK (wants_email IN (0, 1)),
    wants_sms INTEGER NOT NULL CHECK (wants_sms IN (0, 1)),
    email_confirmed_at TEXT,
    sms_confirmed_at TEXT,
    email_unsubscribed_at TEXT,
    sms_unsubscribed_at TEXT,
    topic_cancellation_slots INTEGER NOT NULL CHECK (topic_cancellation_slots IN (0, 1)),
    topic_upcoming_enrolments INTEGER NOT NULL CHECK (topic_upcoming_enrolments IN (0, 1)),
    -- The privacy notice shown when the consent was given.
    privacy_notice_version TEXT NOT NULL,
    consent_given_by TEXT NOT NULL CONSTRAINT uniikkilista_consent_by_check CHECK (consent_given_by IN ('self', 'guardian')),
    customer_id TEXT REFERENCES customers (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT uniikkilista_email_channel CHECK (NOT wants_email OR email IS NOT NULL),
    CONSTRAINT uniikkilista_sms_channel CHECK (NOT wants_sms OR phone IS NOT NULL)
) STRICT;
CREATE INDEX uniikkilista_subscriptions_customer_idx ON uniikkilista_subscriptions (customer_id);

-- Confirmation codes and unsubscribe tokens, stored hashed; each belongs to one channel.
CREATE TABLE uniikkilista_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES uniikkilista_subscriptions (id),
    purpose TEXT NOT NULL CONSTRAINT uniikkilista_tokens_purpose_check CHECK (purpose IN ('confirm', 'unsubscribe')),
    channel TEXT NOT NULL CONSTRAINT uniikkilista_tokens_channel_check CHECK (channel IN ('email', 'sms')),
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX uniikkilista_tokens_subscription_idx ON uniikkilista_tokens (subscription_id);
