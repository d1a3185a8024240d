-- Booking messages and calendar feeds.

-- An email's calendar attachment (RFC 5545 text): the lesson on a booking confirmation.
ALTER TABLE messages ADD COLUMN calendar text;

-- When the booking's reminder went to the outbox: at most once for each time the booking is
-- on (a move to another lesson clears it).
ALTER TABLE bookings ADD COLUMN reminded_at timestamptz;
CREATE INDEX bookings_reminder_idx ON bookings (starts_at)
    WHERE status = 'booked' AND reminded_at IS NULL;

-- A secret feed URL (iCalendar) of one teacher's lessons or one customer's bookings. Only the
-- token's hash is kept; revoking deletes the row, rotating replaces the hash.
CREATE TABLE calendar_feeds (
    id uuid PRIMARY KEY,
    teacher_id uuid REFERENCES accounts (id),
    customer_id uuid REFERENCES customers (id),
    token_hash text NOT NULL CONSTRAINT calendar_feeds_token_key UNIQUE,
    created_by uuid NOT NULL REFERENCES accounts (id),
    created_at timestamptz NOT NULL,
    -- When the current token was made (the creation, or the last rotation).
    token_made_at timestamptz NOT NULL,
    CONSTRAINT calendar_feeds_owner_check CHECK ((teacher_id IS NULL) <> (customer_id IS NULL))
);
CREATE INDEX calendar_feeds_teacher_idx ON calendar_feeds (teacher_id);
CREATE INDEX calendar_feeds_customer_idx ON calendar_feeds (customer_id);
