-- The people of the register. Name keys (lower-case, Finnish alphabet order) are compared
-- byte-wise (SQLite's BINARY collation) so prefix search and sorting match PostgreSQL's "C".
CREATE TABLE customers (
    id TEXT NOT NULL PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    first_name_key TEXT NOT NULL,
    last_name_key TEXT NOT NULL,
    email TEXT CONSTRAINT customers_email_key UNIQUE,
    -- E.164, e.g. +358401234567.
    phone TEXT,
    street TEXT,
    postal_code TEXT,
    city TEXT,
    country TEXT,
    birth_date TEXT,
    language TEXT NOT NULL CONSTRAINT customers_language_check CHECK (language IN ('fi', 'sv', 'en')),
    guardian_name TEXT,
    guardian_email TEXT,
    guardian_phone TEXT,
    source TEXT NOT NULL
        CONSTRAINT customers_source_check CHECK (source IN ('staff', 'calendar', 'webshop', 'self')),
    -- The customer's login, once staff have issued one.
    account_id TEXT CONSTRAINT customers_account_id_key UNIQUE REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT customers_address_complete CHECK (
        (street IS NULL AND postal_code IS NULL AND city IS NULL AND country IS NULL)
        OR (street IS NOT NULL AND postal_code IS NOT NULL AND city IS NOT NULL AND country IS NOT NULL))
) STRICT;
CREATE INDEX customers_sort_idx ON customers (last_name_key, first_name_key, id);
CREATE INDEX customers_first_name_key_idx ON customers (first_name_key);
CREATE INDEX customers_phone_idx ON customers (phone);
