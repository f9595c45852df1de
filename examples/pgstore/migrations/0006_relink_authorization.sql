-- relink.Store: a relink request records the Financial Connections
-- authorization it relinks (relink_options.authorization); '' when unknown.
ALTER TABLE relink_requests ADD COLUMN authorization_id text NOT NULL DEFAULT '';
