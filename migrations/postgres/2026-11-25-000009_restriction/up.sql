-- Restriction of processing (GDPR Art. 18): the data stays stored but is not otherwise used.
ALTER TABLE customers ADD COLUMN restricted_at timestamptz;
ALTER TABLE customers ADD COLUMN restriction_reason text;
