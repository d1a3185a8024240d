-- The people of the register. Name keys (lower-case, Finnish alphabet order) are compared in
-- the "C" collation so prefix search and sorting behave exactly as on SQLite.
CREATE TABLE customers (
    id uuid PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    first_name_key text COLLATE "C" NOT NULL,
    last_name_key text COLLATE "C" NOT NULL,
    email text COLLATE "C" CONSTRAINT customers_email_key UNIQUE,
    -- E.164, e.g. +358401234567.
    phone text COLLATE "C",
    street text,
    postal_code text,
    city text,
    country text,
    birth_date date,
    language text NOT NULL CONSTRAINT customers_language_check CHECK (language IN ('fi', 'sv', 'en')),
    guardian_name text,
    guardian_email text,
    guardian_phone text,
    source text NOT NULL
        CONSTRAINT customers_source_check CHECK (source IN ('staff', 'calendar', 'webshop', 'self')),
    -- The customer's login, once staff have issued one.
    account_id uuid CONSTRAINT customers_account_id_key UNIQUE REFERENCES accounts (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    CONSTRAINT customers_address_complete CHECK (
        (street IS NULL AND postal_code IS NULL AND city IS NULL AND country IS NULL)
        OR (street IS NOT NULL AND postal_code IS NOT NULL AND city IS NOT NULL AND country IS NOT NULL))
);
CREATE INDEX customers_sort_idx ON customers (last_name_key, first_name_key, id);
CREATE INDEX customers_first_name_key_idx ON customers (first_name_key);
CREATE INDEX customers_phone_idx ON customers (phone);
