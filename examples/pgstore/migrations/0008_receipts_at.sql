-- account.Store.PruneReceipts: each receipt records when its move was made
-- (account.Move.At, the Service's clock), so that receipts older than an
-- instant can be deleted, as Stripe forgets idempotency keys after 24 hours.
-- Receipts recorded before this migration get the migration's instant: they
-- are kept at least as long as a receipt made now, never pruned early.
ALTER TABLE receipts ADD COLUMN at timestamptz NOT NULL DEFAULT now();
ALTER TABLE receipts ALTER COLUMN at DROP DEFAULT;
CREATE INDEX receipts_at ON receipts (at);
