-- links.Store, issue 18: refresh chains carry their start and mark the link
-- a refresh replaced; remediation links can be revoked; a link's tokens are
-- ordered so that the oldest beyond links.MaxRemediationTokens is retired.
ALTER TABLE account_links ADD COLUMN chain_started timestamptz;
-- A chain started when its first link (token_hash = chain) was made.
UPDATE account_links l SET chain_started = COALESCE(
    (SELECT h.created_at FROM account_links h WHERE h.token_hash = l.chain), l.created_at);
ALTER TABLE account_links ALTER COLUMN chain_started SET NOT NULL;
ALTER TABLE account_links ADD COLUMN replaced_at timestamptz;

ALTER TABLE remediation_links ADD COLUMN revoked_at timestamptz;

-- Existing rows are numbered in an arbitrary order: every link they belong
-- to had at most as many tokens as were ever added, and the order matters
-- only among tokens added from now on.
ALTER TABLE remediation_tokens ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX remediation_tokens_by_link_seq ON remediation_tokens (link_id, seq);
