-- A login attempt is recorded as 'checking' before its password is checked and settled when the
-- check ends, so that simultaneous attempts on one login name count one another (30 guesses sent
-- at once must not all be checked) while simultaneous correct logins wait for one another
-- instead of being refused.
ALTER TABLE login_events DROP CONSTRAINT login_events_outcome_check;
ALTER TABLE login_events ADD CONSTRAINT login_events_outcome_check
    CHECK (outcome IN ('success', 'bad_credentials', 'inactive', 'throttled', 'checking'));
