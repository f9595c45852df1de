-- account.Store receipts: one row per funds move (A7, A8), keyed by the
-- caller's idempotency key. AccountStore.Transfer inserts the row in the
-- same transaction as the two balance UPDATEs, so a retried move with the
-- same key — from any replica — finds it and moves nothing twice. The body
-- is the account.Receipt as JSON: the move and the platform and account as
-- the move left them, the first result a retry returns.
CREATE TABLE receipts (
    key  text  PRIMARY KEY CHECK (key <> '' AND octet_length(key) <= 255),
    body jsonb NOT NULL
);
