-- A person's data belongs to them by id, never by matching contact details (phones and emails
-- are not unique: a guardian's email may be anyone's).
--
-- Erased is an explicit state: every write to a customer checks it in its own transaction,
-- so nothing can be written to a person after their erasure (the name placeholder used to be
-- the only sign of it).
ALTER TABLE customers ADD COLUMN erased_at TEXT;
UPDATE customers SET erased_at = updated_at
WHERE first_name = '(poistettu)' AND last_name = '(poistettu)' AND first_name_key = '';

-- A message sent to a UniikkiLista subscription names it, so the message goes with the
-- subscription (and with the customer the subscription is linked to) in exports and erasure.
ALTER TABLE messages ADD COLUMN subscription_id TEXT REFERENCES uniikkilista_subscriptions (id);
-- Earlier UniikkiLista messages: linked where exactly one subscription has the address.
UPDATE messages SET subscription_id = (
    SELECT s.id FROM uniikkilista_subscriptions s WHERE messages.recipient IN (s.email, s.phone)
)
WHERE purpose LIKE 'uniikkilista.%'
  AND (SELECT count(*) FROM uniikkilista_subscriptions o WHERE messages.recipient IN (o.email, o.phone)) = 1;
CREATE INDEX messages_subscription_idx ON messages (subscription_id);
