-- The outbox: every email and SMS, written in the same transaction as the change that causes
-- it, delivered by the dispatcher. Kept as the record of what was sent to whom.
CREATE TABLE messages (
    id uuid PRIMARY KEY,
    channel text NOT NULL CONSTRAINT messages_channel_check CHECK (channel IN ('email', 'sms')),
    -- An email address or an E.164 phone number.
    recipient text NOT NULL,
    -- The person the message is to or about, where known.
    customer_id uuid REFERENCES customers (id),
    -- What the message is for, e.g. 'uniikkilista.confirm'.
    purpose text NOT NULL,
    language text NOT NULL,
    subject text,
    body text NOT NULL,
    -- The one-call unsubscribe address, sent as List-Unsubscribe on email.
    unsubscribe_url text,
    status text NOT NULL DEFAULT 'pending'
        CONSTRAINT messages_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    -- While 'sending': the claim expires then, so a crashed sender's message is retried.
    locked_until timestamptz,
    -- The kind of the last failure (never the recipient or the message).
    last_error text,
    created_at timestamptz NOT NULL,
    sent_at timestamptz
);
CREATE INDEX messages_due_idx ON messages (status, next_attempt_at);
CREATE INDEX messages_customer_idx ON messages (customer_id);
