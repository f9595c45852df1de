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
//	  expires_at timestamptz NOT NULL, used_at timestamptz, returned_at timestamptz,
//	  chain_started timestamptz NOT NULL, replaced_at timestamptz);
//	CREATE TABLE link_refresh_windows (
//	  chain bytea PRIMARY KEY, window_start timestamptz NOT NULL, count int NOT NULL);
//	CREATE TABLE remediation_links (
//	  account text PRIMARY KEY, id text UNIQUE NOT NULL, …lockout counters…,
//	  created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL,
//	  revoked_at timestamptz, version bigint NOT NULL);
//	CREATE TABLE remediation_tokens (
//	  token_hash bytea PRIMARY KEY, link_id text NOT NULL REFERENCES remediation_links (id)
//	  ON DELETE CASCADE, seq bigint GENERATED ALWAYS AS IDENTITY);
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
// # Errors and outcomes
//
// A method's documented sentinels (ErrNotFound, ErrExists, ErrConflict,
// ErrAlreadyUsed, ErrExpired, ErrSuperseded, ErrNotRedeemed,
// ErrRefreshLimit, ErrInvalid), possibly wrapped, each mean the write
// was refused and nothing changed. Any other error — a context error, a
// lost connection, an "unexpected EOF" from a driver, a server crash at
// commit — leaves a write's outcome unknown: it may or may not have been
// applied, so the caller re-reads before retrying.
//
// # Bad input
//
// Every Store refuses the same inputs, with an error matching
// ErrInvalid and nothing changed: a record whose Validate fails
// (AccountLink.Validate, RemediationLink.Validate: IDs and text that are
// not valid UTF-8, hold a NUL or exceed their bound; an undeclared Pending;
// a counter out of range), and a lookup by an ID that ValidateAccountID or
// ValidateLinkID refuses. A Store never commits a record it cannot read
// back unchanged.
//
// # Order
//
// A Store lists nothing in bulk: every read returns one record by its key.
// The one order the contract fixes is that of a remediation link's tokens:
// they are kept in the order added, and when AddRemediationToken makes
// more than MaxRemediationTokens, the oldest is retired first. (A bulk
// export's rows come in the order of the accounts the caller passes; see
// Service.ExportRemediationLinks.)
//
// # Times
//
// Times may be stored with microsecond precision, as PostgreSQL's
// timestamptz keeps them: a value read back may be truncated to the
// microsecond, and callers must not rely on nanoseconds.
type Store interface {
	// CreateAccountLink inserts l. A link with the same Hash is an error
	// matching ErrExists, and an l whose Validate fails one matching
	// ErrInvalid; neither changes the store.
	//
	//	INSERT INTO account_links (…) VALUES (…) ON CONFLICT (token_hash) DO NOTHING
	//	-- zero rows: ErrExists
	CreateAccountLink(ctx context.Context, l AccountLink) error

	// AccountLink returns the link whose hash is h, or ErrNotFound.
	//
	//	SELECT … FROM account_links WHERE token_hash = $1
	AccountLink(ctx context.Context, h TokenHash) (AccountLink, error)

	// RedeemAccountLink consumes the link whose hash is h at now, if and
	// only if it is unused, not replaced and now is before its ExpiresAt,
	// and reports whether this call consumed it: nil error and the link
	// with UsedAt = now when it did; otherwise ErrNotFound (zero link), or
	// ErrAlreadyUsed, ErrSuperseded or ErrExpired with the link as stored
	// (in that order of precedence, as AccountLink.RedeemableAt). However
	// many callers race, exactly one gets nil.
	//
	//	UPDATE account_links SET used_at = $2
	//	WHERE token_hash = $1 AND used_at IS NULL AND replaced_at IS NULL AND expires_at > $2
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

	// ReplaceAccountLink makes next the latest link of prev's chain: in
	// one atomic step it sets the ReplacedAt of the link whose hash is prev
	// to now and inserts next, if and only if prev exists and was not
	// replaced yet. It returns prev as replaced. An unknown prev is
	// ErrNotFound; a prev already replaced is ErrSuperseded (with prev as
	// stored); next's Hash taken is ErrExists; a next whose Validate fails,
	// or whose Chain or ChainStarted differ from prev's, is
	// ErrInvalid. None of these changes anything. However many
	// callers race to replace one link, exactly one succeeds, so a chain
	// never has two live links.
	//
	//	-- in one transaction:
	//	UPDATE account_links SET replaced_at = $now
	//	WHERE token_hash = $prev AND replaced_at IS NULL
	//	  AND chain = $next_chain AND chain_started = $next_chain_started RETURNING …
	//	-- zero rows: ROLLBACK; a read-only SELECT classifies the refusal
	//	INSERT INTO account_links (…) VALUES (…) ON CONFLICT (token_hash) DO NOTHING
	//	-- zero rows: ROLLBACK, ErrExists
	//	COMMIT
	ReplaceAccountLink(ctx context.Context, prev TokenHash, next AccountLink, now time.Time) (AccountLink, error)

	// CreateRemediationLink makes l, reachable through token hash h, the
	// account's remediation link, unless the account's current link is
	// still active at now: then it returns that link and an error matching
	// ErrExists, and changes nothing. An expired or revoked current link is
	// replaced and its tokens stop resolving. The stored link has Version
	// 1. A hash already in use is ErrExists with a zero link; an l whose
	// Validate fails is ErrInvalid.
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
	// The link then keeps its MaxRemediationTokens most recent tokens: the
	// oldest beyond them stop resolving, in the order they were added.
	// ErrNotFound when there is no such link, ErrExpired when it expired
	// or was revoked, ErrExists when h is taken.
	//
	//	-- in one transaction:
	//	SELECT 1 FROM remediation_links WHERE id = $2 AND expires_at > $now
	//	  AND revoked_at IS NULL FOR UPDATE
	//	INSERT INTO remediation_tokens (token_hash, link_id) VALUES ($1, $2)
	//	ON CONFLICT DO NOTHING
	//	DELETE FROM remediation_tokens WHERE link_id = $2 AND seq <= (SELECT seq
	//	  FROM remediation_tokens WHERE link_id = $2 ORDER BY seq DESC OFFSET $max LIMIT 1)
	//	COMMIT
	AddRemediationToken(ctx context.Context, id LinkID, h TokenHash, now time.Time) error

	// RevokeRemediationLink revokes the link id at now on behalf of user
	// by, if it is active: it sets RevokedAt to now and LastChangedBy to
	// by, increments the version, and deletes every token of the link, so
	// that none opens it and the next generation makes a new link. It
	// returns the revoked link. ErrNotFound for an unknown link, ErrExpired
	// (with the link as stored) for one expired or already revoked.
	//
	//	-- in one transaction:
	//	UPDATE remediation_links SET revoked_at = $now, last_changed_by = $by, version = version + 1
	//	WHERE id = $1 AND revoked_at IS NULL AND expires_at > $now RETURNING …
	//	-- zero rows: ROLLBACK; a read-only SELECT classifies the refusal
	//	DELETE FROM remediation_tokens WHERE link_id = $1
	//	COMMIT
	RevokeRemediationLink(ctx context.Context, id LinkID, by string, now time.Time) (RemediationLink, error)

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
	// version is ErrConflict, an unknown ID ErrNotFound, an l whose
	// Validate fails ErrInvalid (checked before anything is
	// written); none changes anything. ID, Account, Created, ExpiresAt and
	// RevokedAt are never changed.
	//
	//	UPDATE remediation_links SET pending = $3, failures = $4, …, version = version + 1
	//	WHERE id = $1 AND version = $2 RETURNING …
	//	-- zero rows: ErrConflict if the id exists, else ErrNotFound
	UpdateRemediationLink(ctx context.Context, l RemediationLink) (RemediationLink, error)
}
