-- The outbox: every email and SMS, written in the same transaction as the change that causes
-- it, delivered by the dispatcher. Kept as the record of what was sent to whom.
CREATE TABLE messages (
    id TEXT NOT NULL PRIMARY KEY,
    channel TEXT NOT NULL CONSTRAINT messages_channel_check CHECK (channel IN ('email', 'sms')),
    -- An email address or an E.164 phone number.
    recipient TEXT NOT NULL,
    -- The person the message is to or about, where known.
    customer_id TEXT REFERENCES customers (id),
    -- What the message is for, e.g. 'uniikkilista.confirm'.
    purpose TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    -- The one-call unsubscribe address, sent as List-Unsubscribe on email.
    unsubscribe_url TEXT,
    status TEXT NOT NULL DEFAULT 'pending'
        CONSTRAINT messages_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    -- While 'sending': the claim expires then, so a crashed sender's message is retried.
    locked_until TEXT,
    -- The kind of the last failure (never the recipient or the message).
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
) STRICT;
CREATE INDEX messages_due_idx ON messages (status, next_attempt_at);
CREATE INDEX messages_customer_idx ON messages (customer_id);
