-- Signed inbound webhooks (Standard Webhooks) from the integrations.

-- A rotated webhook secret still verifies until `previous_secret_until`, while the sender
-- moves to the new one.
ALTER TABLE integrations ADD COLUMN previous_webhook_secret TEXT;
ALTER TABLE integrations ADD COLUMN previous_secret_until TEXT;

-- Every verified delivery, once: a `webhook-id` the integration sent before is a replay.
-- `changed_at` is the sender's own time of the change; `outcome` what came of it.
CREATE TABLE webhook_inbox (
    id TEXT NOT NULL PRIMARY KEY,
    integration_id TEXT NOT NULL REFERENCES integrations (id),
    webhook_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    outcome TEXT NOT NULL CONSTRAINT webhook_inbox_outcome_check
        CHECK (outcome IN ('applied', 'stale', 'refused')),
    -- The problem type of a refusal (never personal data).
    detail TEXT,
    -- The customer the delivery was about, once known.
    customer_id TEXT REFERENCES customers (id),
    CONSTRAINT webhook_inbox_delivery_key UNIQUE (integration_id, webhook_id)
) STRICT;
CREATE INDEX webhook_inbox_customer_idx ON webhook_inbox (customer_id);
CREATE INDEX webhook_inbox_received_idx ON webhook_inbox (received_at);

-- A booking as the sender knows it (its own id), and the sender's time of the last change
-- applied: an older change never overrides a newer one, so a late "created" cannot revive a
-- booking cancelled since.
CREATE TABLE external_bookings (
    integration_id TEXT NOT NULL REFERENCES integrations (id),
    external_id TEXT NOT NULL,
    booking_id TEXT REFERENCES bookings (id),
    state TEXT NOT NULL CONSTRAINT external_bookings_state_check
        CHECK (state IN ('unknown', 'live', 'cancelled')),
    changed_at TEXT NOT NULL,
    PRIMARY KEY (integration_id, external_id)
) STRICT;
CREATE INDEX external_bookings_booking_idx ON external_bookings (booking_id);
