-- relink.AccountStore: the Financial Connections accounts relink decides on,
-- each with the mark of the newest Stripe snapshot (event) applied and its
-- optimistic version. body is relink.Account.MarshalJSON, read back with
-- relink.ParseAccount (text, not jsonb, so that unknown members keep their
-- bytes). The mark is exact: Unix seconds and nanoseconds; NULL when the
-- account came from no event.
CREATE TABLE relink_fc_accounts (
  id            text PRIMARY KEY,
  body          text NOT NULL,
  mark_unix     bigint,
  mark_nanos    integer,
  mark_event_id text NOT NULL DEFAULT '',
  version       bigint NOT NULL CHECK (version >= 1)
);
