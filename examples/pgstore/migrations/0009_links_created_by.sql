-- links.Store, issue 15: an account link records who asked for it
-- (links.AccountLink.CreatedBy), for the audit trail, as remediation links
-- already do. Links made before this migration name nobody.
ALTER TABLE account_links ADD COLUMN created_by text NOT NULL DEFAULT '';
