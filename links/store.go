package links

import (
	"context"
	"time"

	"github.com/connectkit/connectkit/account"
)

// Store keeps account links, remediation links and refresh-chain counters.
// Every method takes a context and must honour its cancellation; every write
// is conditional, so that replicas sharing one database cannot both win a
// race. Implementations must be safe for concurrent use and must return
// copies, never values the caller can mutate inside the store.
//
// Each method's documentation gives the SQL statement it maps to, for a
// schema such as:
//
//	CREATE TABLE account_links (
//	  token_hash bytea PRIMARY KEY, account text NOT NULL, chain bytea NOT NULL,
//	  params jsonb NOT NULL, created_at timestamptz NOT NULL,
//	  expires_at timestamptz NOT NULL, used_at timestamptz, returned_at timestamptz);
//	CREATE TABLE link_refresh_windows (
//	  chain bytea PRIMARY KEY, window_start timestamptz NOT NULL, count int NOT NULL);
//	CREATE TABLE remediation_links (
//	  account text PRIMARY KEY, id text UNIQUE NOT NULL, …lockout counters…,
//	  created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL,
//	  version bigint NOT NULL);
//	CREATE TABLE remediation_tokens (
//	  token_hash bytea PRIMARY KEY, link_id text NOT NULL REFERENCES remediation_links (id)
//	  ON DELETE CASCADE);
//
// A link's id never changes, so a token never moves from one link to
// another: replacing an expired link deletes its row, and ON DELETE
// CASCADE deletes its tokens with it (see CreateRemediationLink).
//
// Lookups by token hash go through the primary-key index: the key is a
// SHA-256, so the timing of the lookup tells an attacker nothing about any
// token. The linkstest package holds the conformance suite every
// implementation must pass.
//
// A write that returns a context error (context.Canceled or
// context.DeadlineExceeded, possibly wrapped) has an unknown outcome: it may
// or may not have been applied, so the caller re-reads before retrying.
// Times may be stored with microsecond precision, as PostgreSQL's
// timestamptz keeps them: a value read back may be truncated to the
// microsecond, and callers must not rely on nanoseconds.
type Store interface {
	// CreateAccountLink inserts l. A link with the same Hash is an error
	// matching ErrExists and leaves the store unchanged.
	//
	//	INSERT INTO account_links (…) VALUES (…) ON CONFLICT (token_hash) DO NOTHING
	//	-- zero rows: ErrExists
	CreateAccountLink(ctx context.Context, l AccountLink) error

	// AccountLink returns the link whose hash is h, or ErrNotFound.
	//
	//	SELECT … FROM account_links WHERE token_hash = $1
	AccountLink(ctx context.Context, h TokenHash) (AccountLink, error)

	// RedeemAccountLink consumes the link whose hash is h at now, if and
	// only if it is unused and now is before its ExpiresAt, and reports
	// whether this call consumed it: nil error and the link with UsedAt =
	// now when it did; otherwise ErrNotFound (zero link), or ErrAlreadyUsed
	// or ErrExpired with the link as stored (already-used is reported when
	// both hold). However many callers race, exactly one gets nil.
	//
	//	UPDATE account_links SET used_at = $2
	//	WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
	//	RETURNING …
	//	-- zero rows: a read-only SELECT classifies the refusal
	RedeemAccountLink(ctx context.Context, h TokenHash, now time.Time) (AccountLink, error)

	// MarkAccountLinkReturned records at now that the user came back to the
	// return URL of the link whose hash is h. Only the first return is
	// recorded; later ones return the link unchanged with a nil error. A
	// link never redeemed is ErrNotRedeemed; an unknown one ErrNotFound.
	//
	//	UPDATE account_links SET returned_at = COALESCE(returned_at, $2)
	//	WHERE token_hash = $1 AND used_at IS NOT NULL RETURNING …
	MarkAccountLinkReturned(ctx context.Context, h TokenHash, now time.Time) (AccountLink, error)

	// TakeRefresh counts one refresh against chain at now, within a fixed
	// window: when the chain has no window, or its window (started at the
	// first refresh counted in it) is window or more old, a new window
	// starts at now with a count of 1; otherwise the count goes up by one
	// if it is below limit. It returns the count after the call, or
	// ErrRefreshLimit (and changes nothing) when limit refreshes were
	// already counted in the current window.
	//
	//	INSERT INTO link_refresh_windows AS w (chain, window_start, count) VALUES ($1, $now, 1)
	//	ON CONFLICT (chain) DO UPDATE SET
	//	  window_start = CASE WHEN w.window_start <= $now - $window THEN $now ELSE w.window_start END,
	//	  count = CASE WHEN w.window_start <= $now - $window THEN 1 ELSE w.count + 1 END
	//	WHERE w.window_start <= $now - $window OR w.count < $limit
	//	RETURNING count
	//	-- zero rows: ErrRefreshLimit
	TakeRefresh(ctx context.Context, chain TokenHash, now time.Time, window time.Duration, limit int) (int, error)

	// CreateRemediationLink makes l, reachable through token hash h, the
	// account's remediation link, unless the account's current link is
	// still active at now: then it returns that link and an error matching
	// ErrExists, and changes nothing. An expired current link is replaced
	// and its tokens stop resolving. The stored link has Version 1. A hash
	// already in use is ErrExists with a zero link.
	//
	//	-- in one transaction:
	//	SELECT … FROM remediation_links WHERE account = $1 FOR UPDATE
	//	-- a row active at $now (expires_at > $now): ROLLBACK, ErrExists with it
	//	-- an expired row: delete it; ON DELETE CASCADE deletes its tokens
	//	DELETE FROM remediation_links WHERE account = $1 AND id = $old_id
	//	INSERT INTO remediation_links (id, account, …, version) VALUES ($2, $1, …, 1)
	//	ON CONFLICT (account) DO NOTHING RETURNING …
	//	-- zero rows (a concurrent creator inserted first): ROLLBACK, ErrExists
	//	--   with its link; a unique violation on id: ROLLBACK, ErrExists
	//	INSERT INTO remediation_tokens (token_hash, link_id) VALUES ($h, $2)
	//	ON CONFLICT (token_hash) DO NOTHING
	//	-- zero rows: ROLLBACK, ErrExists (the hash is taken)
	//	COMMIT
	CreateRemediationLink(ctx context.Context, l RemediationLink, h TokenHash, now time.Time) (RemediationLink, error)

	// AddRemediationToken makes token hash h a further way to reach the
	// link id, if that link is still the current one and active at now.
	// ErrNotFound when there is no such link, ErrExpired when it expired,
	// ErrExists when h is taken.
	//
	//	INSERT INTO remediation_tokens (token_hash, link_id)
	//	SELECT $1, id FROM remediation_links WHERE id = $2 AND expires_at > $now
	//	ON CONFLICT DO NOTHING
	AddRemediationToken(ctx context.Context, id LinkID, h TokenHash, now time.Time) error

	// RemediationLinkByToken returns the link token hash h reaches, or
	// ErrNotFound. Expired links are returned; the caller decides.
	//
	//	SELECT r.… FROM remediation_tokens t JOIN remediation_links r ON r.id = t.link_id
	//	WHERE t.token_hash = $1
	RemediationLinkByToken(ctx context.Context, h TokenHash) (RemediationLink, error)

	// RemediationLink returns the link with the given ID, or ErrNotFound.
	//
	//	SELECT … FROM remediation_links WHERE id = $1
	RemediationLink(ctx context.Context, id LinkID) (RemediationLink, error)

	// RemediationLinkByAccount returns the account's current remediation
	// link, active or not, or ErrNotFound.
	//
	//	SELECT … FROM remediation_links WHERE account = $1
	RemediationLinkByAccount(ctx context.Context, acct account.ID) (RemediationLink, error)

	// UpdateRemediationLink stores l if the stored link with l.ID still has
	// l.Version, and returns it with the version incremented. A stale
	// version is ErrConflict, an unknown ID ErrNotFound; neither changes
	// anything. ID, Account, Created and ExpiresAt are never changed.
	//
	//	UPDATE remediation_links SET pending = $3, failures = $4, …, version = version + 1
	//	WHERE id = $1 AND version = $2 RETURNING …
	//	-- zero rows: ErrConflict if the id exists, else ErrNotFound
	UpdateRemediationLink(ctx context.Context, l RemediationLink) (RemediationLink, error)
}
