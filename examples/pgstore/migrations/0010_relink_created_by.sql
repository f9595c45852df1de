-- relink.Store: a relink request records who asked for it (Ask.User.ID,
-- Request.CreatedBy) for the audit trail; '' when an API call named no user.
ALTER TABLE relink_requests ADD COLUMN created_by text NOT NULL DEFAULT '';
