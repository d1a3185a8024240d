-- Booking messages and calendar feeds.

-- An email's calendar attachment (RFC 5545 text): the lesson on a booking confirmation.
ALTER TABLE messages ADD COLUMN calendar TEXT;

-- When the booking's reminder went to the outbox: at most once for each time the booking is
-- on (a move to another lesson clears it).
ALTER TABLE bookings ADD COLUMN reminded_at TEXT;
CREATE INDEX bookings_reminder_idx ON bookings (starts_at)
    WHERE status = 'booked' AND reminded_at IS NULL;

-- A secret feed URL (iCalendar) of one teacher's lessons or one customer's bookings. Only the
-- token's hash is kept; revoking deletes the row, rotating replaces the hash.
CREATE TABLE calendar_feeds (
    id TEXT NOT NULL PRIMARY KEY,
    teacher_id TEXT REFERENCES accounts (id),
    customer_id TEXT REFERENCES customers (id),
    token_hash TEXT NOT NULL CONSTRAINT calendar_feeds_token_key UNIQUE,
    created_by TEXT NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    -- When the current token was made (the creation, or the last rotation).
    token_made_at TEXT NOT NULL,
    CONSTRAINT calendar_feeds_owner_check CHECK ((teacher_id IS NULL) <> (customer_id IS NULL))
) STRICT;
CREATE INDEX calendar_feeds_teacher_idx ON calendar_feeds (teacher_id);
CREATE INDEX calendar_feeds_customer_idx ON calendar_feeds (customer_id);
