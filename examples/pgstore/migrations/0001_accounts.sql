-- account.Store: connected accounts and the platform's settings.
--
-- An account is an aggregate that the library reads and writes whole, so
-- the row keeps it as one JSON document beside the two columns every
-- statement conditions on: the key and the optimistic-concurrency version.
-- (Promote a field to a column of its own when you need to query by it.)
CREATE TABLE accounts (
    id      text   PRIMARY KEY CHECK (id <> ''),
    version bigint NOT NULL CHECK (version > 0),
    body    jsonb  NOT NULL
);

-- The platform's settings: one row per store. A multi-tenant deployment
-- would key this table, and accounts, by a platform_id column instead.
CREATE TABLE platform (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint  NOT NULL CHECK (version > 0),
    body      jsonb   NOT NULL
);
