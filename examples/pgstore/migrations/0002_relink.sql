-- relink.Store: relink requests and the 48-hour limit (K3).
CREATE TABLE relink_requests (
    id             text        PRIMARY KEY CHECK (id <> ''),
    account        text        NOT NULL CHECK (account <> ''),
    method         text        NOT NULL,
    delivery       text        NOT NULL,
    purpose        text        NOT NULL,
    same_account   boolean     NOT NULL,
    limited        boolean     NOT NULL,
    status         text        NOT NULL,
    failure_reason text        NOT NULL DEFAULT '',
    relinked       text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL,
    closed_at      timestamptz
);

CREATE INDEX relink_requests_by_account ON relink_requests (account, created_at, id COLLATE "C");

-- The limit, one row per account: the account's latest limited request
-- and whether it succeeded. A limited request is created by claiming this
-- row (an upsert whose WHERE is the limit) in the same statement as its
-- INSERT; completing the request marks the row succeeded in the same
-- statement as its UPDATE, which resets the limit. Concurrent claims on one
-- account serialise on the row, so exactly one of them wins.
CREATE TABLE relink_limits (
    account    text        PRIMARY KEY,
    request_id text        NOT NULL,
    created_at timestamptz NOT NULL,
    succeeded  boolean     NOT NULL DEFAULT false
);
