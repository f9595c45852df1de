package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
)

// LinkStore is a links.Store on PostgreSQL: the tables of
// migrations/0003_links.sql. Links are keyed by the SHA-256 of their
// token (links.TokenHash); the token itself never reaches the database.
//
// Every write is one conditional statement — the single-use redemption is
// an UPDATE … WHERE used_at IS NULL AND replaced_at IS NULL AND expires_at >
// now, so of any number of concurrent redemptions exactly one finds its row
// — or one transaction whose first statement is conditional:
// CreateRemediationLink, ReplaceAccountLink, AddRemediationToken and
// RevokeRemediationLink, as the contract says. A refused write is
// classified by a read-only SELECT afterwards. Every record is validated
// (links' Validate methods) before anything is written, so no statement
// reaches the server with text PostgreSQL cannot hold.
//
// Times are stored as timestamptz, to the microsecond. A LinkStore is safe
// for concurrent use. The zero value is not usable; call NewLinkStore.
type LinkStore struct {
	db *pgxpool.Pool
}

var _ links.Store = (*LinkStore)(nil)

// NewLinkStore returns a LinkStore over db. The tables must exist: run
// Migrate first.
func NewLinkStore(db *pgxpool.Pool) *LinkStore { return &LinkStore{db: db} }

const accountLinkColumns = `token_hash, account, chain, params, created_at, expires_at, used_at, returned_at,
	chain_started, replaced_at, created_by`

const remediationColumns = `id, account, created_by, created_at, expires_at, pending, failures,
	wrong_information, resets, acknowledgements, reset_credits, last_changed_by, revoked_at, version`

const (
	sqlCreateAccountLink = `INSERT INTO account_links (` + accountLinkColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (token_hash) DO NOTHING`

	sqlGetAccountLink = `SELECT ` + accountLinkColumns + ` FROM account_links WHERE token_hash = $1`

	// sqlRedeem is the single-use redemption.
	sqlRedeem = `UPDATE account_links SET used_at = $2
		WHERE token_hash = $1 AND used_at IS NULL AND replaced_at IS NULL AND expires_at > $2
		RETURNING ` + accountLinkColumns

	sqlMarkReturned = `UPDATE account_links SET returned_at = COALESCE(returned_at, $2)
		WHERE token_hash = $1 AND used_at IS NOT NULL
		RETURNING ` + accountLinkColumns

	// sqlTakeRefresh: $3 is now - window, $4 the limit (at least 1).
	sqlTakeRefresh = `INSERT INTO link_refresh_windows AS w (chain, window_start, count) VALUES ($1, $2, 1)
		ON CONFLICT (chain) DO UPDATE SET
			window_start = CASE WHEN w.window_start <= $3 THEN EXCLUDED.window_start ELSE w.window_start END,
			count = CASE WHEN w.window_start <= $3 THEN 1 ELSE w.count + 1 END
		WHERE w.window_start <= $3 OR w.count < $4
		RETURNING count`

	// sqlReplace retires the latest link of a chain; $3 and $4 are the next
	// link's chain and chain start, which must be prev's.
	sqlReplace = `UPDATE account_links SET replaced_at = $2
		WHERE token_hash = $1 AND replaced_at IS NULL AND chain = $3 AND chain_started = $4
		RETURNING ` + accountLinkColumns

	sqlRefreshCount = `SELECT count, window_start <= $2 FROM link_refresh_windows WHERE chain = $1`

	// sqlLockRemediation locks the account's current link, if any, for the
	// transaction of CreateRemediationLink.
	sqlLockRemediation = `SELECT ` + remediationColumns + ` FROM remediation_links WHERE account = $1 FOR UPDATE`

	sqlDeleteRemediation = `DELETE FROM remediation_links WHERE account = $1 AND id = $2`

	sqlInsertRemediation = `INSERT INTO remediation_links (` + remediationColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1)
		ON CONFLICT (account) DO NOTHING
		RETURNING ` + remediationColumns

	sqlInsertRemediationToken = `INSERT INTO remediation_tokens (token_hash, link_id) VALUES ($1, $2)
		ON CONFLICT (token_hash) DO NOTHING`

	// sqlLockActiveRemediation serialises the token additions of one link.
	sqlLockActiveRemediation = `SELECT 1 FROM remediation_links
		WHERE id = $1 AND expires_at > $2 AND revoked_at IS NULL FOR UPDATE`

	// sqlTrimRemediationTokens keeps the $2 most recent tokens of link $1.
	sqlTrimRemediationTokens = `DELETE FROM remediation_tokens WHERE link_id = $1 AND seq <= (
		SELECT seq FROM remediation_tokens WHERE link_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)`

	sqlRevokeRemediation = `UPDATE remediation_links SET revoked_at = $2, last_changed_by = $3, version = version + 1
		WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2
		RETURNING ` + remediationColumns

	sqlDeleteRemediationTokens = `DELETE FROM remediation_tokens WHERE link_id = $1`

	sqlRemediationByToken = `SELECT ` + remediationColumns + ` FROM remediation_links
		WHERE id = (SELECT link_id FROM remediation_tokens WHERE token_hash = $1)`

	sqlRemediationByID = `SELECT ` + remediationColumns + ` FROM remediation_links WHERE id = $1`

	sqlRemediationByAccount = `SELECT ` + remediationColumns + ` FROM remediation_links WHERE account = $1`

	// sqlUpdateRemediation writes only at the expected version; ID,
	// account, created_at and expires_at never change.
	sqlUpdateRemediation = `UPDATE remediation_links SET
			created_by = $3, pending = $4, failures = $5, wrong_information = $6, resets = $7,
			acknowledgements = $8, reset_credits = $9, last_changed_by = $10, version = version + 1
		WHERE id = $1 AND version = $2
		RETURNING ` + remediationColumns
)

// CreateAccountLink implements links.Store.
func (s *LinkStore) CreateAccountLink(ctx context.Context, l links.AccountLink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	args, err := accountLinkArgs(l)
	if err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, sqlCreateAccountLink, args...)
	if err != nil {
		return dbErr(ctx, "create account link", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%w: account link %s", links.ErrExists, l.Hash)
	}
	return nil
}

// accountLinkArgs validates l and returns the arguments of
// sqlCreateAccountLink.
func accountLinkArgs(l links.AccountLink) ([]any, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	params, err := json.Marshal(l.Params)
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode account link params: %w", err)
	}
	return []any{l.Hash[:], string(l.Account), l.Chain[:], params, l.Created, l.ExpiresAt,
		nullTime(l.UsedAt), nullTime(l.ReturnedAt), l.ChainStarted, nullTime(l.ReplacedAt), l.CreatedBy}, nil
}

// ReplaceAccountLink implements links.Store, in one transaction: retire
// prev if it is still the latest of next's chain, then insert next.
func (s *LinkStore) ReplaceAccountLink(ctx context.Context, prev links.TokenHash, next links.AccountLink, now time.Time) (links.AccountLink, error) {
	if err := ctx.Err(); err != nil {
		return links.AccountLink{}, err
	}
	args, err := accountLinkArgs(next)
	if err != nil {
		return links.AccountLink{}, err
	}
	var (
		retired links.AccountLink
		refused error
	)
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		got, err := scanAccountLink(tx.QueryRow(ctx, sqlReplace, prev[:], now, next.Chain[:], next.ChainStarted))
		if errors.Is(err, pgx.ErrNoRows) {
			cur, err := scanAccountLink(tx.QueryRow(ctx, sqlGetAccountLink, prev[:]))
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				refused = fmt.Errorf("%w: account link %s", links.ErrNotFound, prev)
			case err != nil:
				return err
			case cur.Replaced():
				retired, refused = cur, fmt.Errorf("%w: account link %s", links.ErrSuperseded, prev)
			default:
				refused = fmt.Errorf("%w: the next link is not of account link %s's chain", links.ErrInvalid, prev)
			}
			return refused
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, sqlCreateAccountLink, args...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			refused = fmt.Errorf("%w: account link %s", links.ErrExists, next.Hash)
			return refused
		}
		retired = got
		return nil
	})
	if refused != nil {
		if errors.Is(refused, links.ErrSuperseded) {
			return retired, refused
		}
		return links.AccountLink{}, refused
	}
	if err != nil {
		return links.AccountLink{}, dbErr(ctx, "replace account link", err)
	}
	return retired, nil
}

// AccountLink implements links.Store.
func (s *LinkStore) AccountLink(ctx context.Context, h links.TokenHash) (links.AccountLink, error) {
	if err := ctx.Err(); err != nil {
		return links.AccountLink{}, err
	}
	l, err := scanAccountLink(s.db.QueryRow(ctx, sqlGetAccountLink, h[:]))
	if errors.Is(err, pgx.ErrNoRows) {
		return links.AccountLink{}, fmt.Errorf("%w: account link %s", links.ErrNotFound, h)
	}
	if err != nil {
		return links.AccountLink{}, dbErr(ctx, "get account link", err)
	}
	return l, nil
}

// RedeemAccountLink implements links.Store.
func (s *LinkStore) RedeemAccountLink(ctx context.Context, h links.TokenHash, now time.Time) (links.AccountLink, error) {
	if err := ctx.Err(); err != nil {
		return links.AccountLink{}, err
	}
	l, err := scanAccountLink(s.db.QueryRow(ctx, sqlRedeem, h[:], now))
	if err == nil {
		return l, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		// A failed statement redeemed nothing; it is not "already used".
		return links.AccountLink{}, dbErr(ctx, "redeem account link", err)
	}
	// Refused: read the link as stored (a concurrent winner's UsedAt
	// included, since the UPDATE waited for it to commit) and say why.
	l, err = s.AccountLink(ctx, h)
	if err != nil {
		return links.AccountLink{}, err
	}
	switch l.RedeemableAt(now) {
	case links.ReasonLinkAlreadyUsed:
		return l, fmt.Errorf("%w: account link %s", links.ErrAlreadyUsed, h)
	case links.ReasonLinkReplaced:
		return l, fmt.Errorf("%w: account link %s", links.ErrSuperseded, h)
	case links.ReasonLinkExpired:
		return l, fmt.Errorf("%w: account link %s", links.ErrExpired, h)
	}
	// Redeemable as stored, yet the UPDATE found no row: only a time
	// rounded to the microsecond can do that.
	return l, fmt.Errorf("%w: account link %s at %v (time precision)", links.ErrExpired, h, now)
}

// MarkAccountLinkReturned implements links.Store.
func (s *LinkStore) MarkAccountLinkReturned(ctx context.Context, h links.TokenHash, now time.Time) (links.AccountLink, error) {
	if err := ctx.Err(); err != nil {
		return links.AccountLink{}, err
	}
	l, err := scanAccountLink(s.db.QueryRow(ctx, sqlMarkReturned, h[:], now))
	if err == nil {
		return l, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return links.AccountLink{}, dbErr(ctx, "mark account link returned", err)
	}
	l, err = s.AccountLink(ctx, h)
	if err != nil {
		return links.AccountLink{}, err
	}
	return l, fmt.Errorf("%w: account link %s", links.ErrNotRedeemed, h)
}

// TakeRefresh implements links.Store.
func (s *LinkStore) TakeRefresh(ctx context.Context, chain links.TokenHash, now time.Time, window time.Duration, limit int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	cutoff := now.Add(-window)
	if limit >= 1 {
		var n int
		err := s.db.QueryRow(ctx, sqlTakeRefresh, chain[:], now, cutoff, limit).Scan(&n)
		if err == nil {
			return n, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return 0, dbErr(ctx, "take refresh", err)
		}
	}
	// Refused: report the count of the current window, as the in-memory
	// store does (0 when a new window would have started).
	var (
		n    int
		over bool
	)
	err := s.db.QueryRow(ctx, sqlRefreshCount, chain[:], cutoff).Scan(&n, &over)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		n = 0
	case err != nil:
		return 0, dbErr(ctx, "take refresh", err)
	case over:
		n = 0
	}
	return n, fmt.Errorf("%w: %d refreshes in the window", links.ErrRefreshLimit, n)
}

// CreateRemediationLink implements links.Store, in one transaction: lock
// the account's current link; if it is active, refuse; if it expired,
// delete it (its tokens go with it); insert l and its first token. Two
// creators racing for an account without a link meet on the primary key:
// the second's INSERT waits for the first to commit and inserts nothing.
func (s *LinkStore) CreateRemediationLink(ctx context.Context, l links.RemediationLink, h links.TokenHash, now time.Time) (links.RemediationLink, error) {
	if err := ctx.Err(); err != nil {
		return links.RemediationLink{}, err
	}
	if err := l.Validate(); err != nil {
		return links.RemediationLink{}, err
	}
	var (
		stored  links.RemediationLink
		refused error
	)
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := scanRemediation(tx.QueryRow(ctx, sqlLockRemediation, string(l.Account)))
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		case cur.Active(now):
			stored, refused = cur, fmt.Errorf("%w: account %s has an active remediation link", links.ErrExists, l.Account)
			return refused
		default:
			if _, err := tx.Exec(ctx, sqlDeleteRemediation, string(l.Account), string(cur.ID)); err != nil {
				return err
			}
		}
		got, err := scanRemediation(tx.QueryRow(ctx, sqlInsertRemediation, remediationArgs(l)...))
		if isUniqueViolation(err, "remediation_links_id_key") {
			refused = fmt.Errorf("%w: remediation link %s", links.ErrExists, l.ID)
			return refused
		}
		if errors.Is(err, pgx.ErrNoRows) {
			// Another creator inserted a link for the account after our
			// lock found none; it is active (it was just made) unless
			// the clocks disagree.
			cur, err := scanRemediation(tx.QueryRow(ctx, sqlRemediationByAccount, string(l.Account)))
			if err != nil {
				return err
			}
			stored, refused = cur, fmt.Errorf("%w: account %s has a remediation link", links.ErrExists, l.Account)
			return refused
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, sqlInsertRemediationToken, h[:], string(l.ID))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			refused = fmt.Errorf("%w: token hash %s", links.ErrExists, h)
			return refused
		}
		stored = got
		return nil
	})
	if refused != nil {
		if stored.ID != "" && errors.Is(refused, links.ErrExists) {
			return stored, refused
		}
		return links.RemediationLink{}, refused
	}
	if err != nil {
		return links.RemediationLink{}, dbErr(ctx, "create remediation link", err)
	}
	return stored, nil
}

// AddRemediationToken implements links.Store, in one transaction: lock the
// link if it is active, insert the token, and delete the oldest tokens
// beyond links.MaxRemediationTokens.
func (s *LinkStore) AddRemediationToken(ctx context.Context, id links.LinkID, h links.TokenHash, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := links.ValidateLinkID(id); err != nil {
		return err
	}
	var refused error
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, sqlLockActiveRemediation, string(id), now).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			_, err := scanRemediation(tx.QueryRow(ctx, sqlRemediationByID, string(id)))
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				refused = fmt.Errorf("%w: remediation link %s", links.ErrNotFound, id)
			case err != nil:
				return err
			default: // the lock found it expired or revoked at now
				refused = fmt.Errorf("%w: remediation link %s", links.ErrExpired, id)
			}
			return refused
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, sqlInsertRemediationToken, h[:], string(id))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			refused = fmt.Errorf("%w: token hash %s", links.ErrExists, h)
			return refused
		}
		_, err = tx.Exec(ctx, sqlTrimRemediationTokens, string(id), links.MaxRemediationTokens)
		return err
	})
	if refused != nil {
		return refused
	}
	if err != nil {
		return dbErr(ctx, "add remediation token", err)
	}
	return nil
}

// RevokeRemediationLink implements links.Store, in one transaction: mark
// the link revoked if it is active, and delete its tokens.
func (s *LinkStore) RevokeRemediationLink(ctx context.Context, id links.LinkID, by string, now time.Time) (links.RemediationLink, error) {
	if err := ctx.Err(); err != nil {
		return links.RemediationLink{}, err
	}
	if err := links.ValidateLinkID(id); err != nil {
		return links.RemediationLink{}, err
	}
	probe := links.RemediationLink{ID: id, Account: "x", LastChangedBy: by, Created: now, ExpiresAt: now}
	if err := probe.Validate(); err != nil {
		return links.RemediationLink{}, err
	}
	var (
		got     links.RemediationLink
		refused error
	)
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		l, err := scanRemediation(tx.QueryRow(ctx, sqlRevokeRemediation, string(id), now, by))
		if errors.Is(err, pgx.ErrNoRows) {
			cur, err := scanRemediation(tx.QueryRow(ctx, sqlRemediationByID, string(id)))
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				refused = fmt.Errorf("%w: remediation link %s", links.ErrNotFound, id)
			case err != nil:
				return err
			default:
				got, refused = cur, fmt.Errorf("%w: remediation link %s is not active", links.ErrExpired, id)
			}
			return refused
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlDeleteRemediationTokens, string(id)); err != nil {
			return err
		}
		got = l
		return nil
	})
	if refused != nil {
		return got, refused
	}
	if err != nil {
		return links.RemediationLink{}, dbErr(ctx, "revoke remediation link", err)
	}
	return got, nil
}

// RemediationLinkByToken implements links.Store.
func (s *LinkStore) RemediationLinkByToken(ctx context.Context, h links.TokenHash) (links.RemediationLink, error) {
	return s.remediation(ctx, "remediation link by token", sqlRemediationByToken, h[:])
}

// RemediationLink implements links.Store.
func (s *LinkStore) RemediationLink(ctx context.Context, id links.LinkID) (links.RemediationLink, error) {
	if err := links.ValidateLinkID(id); err != nil {
		return links.RemediationLink{}, err
	}
	return s.remediation(ctx, "remediation link", sqlRemediationByID, string(id))
}

// RemediationLinkByAccount implements links.Store.
func (s *LinkStore) RemediationLinkByAccount(ctx context.Context, acct account.ID) (links.RemediationLink, error) {
	if err := links.ValidateAccountID(acct); err != nil {
		return links.RemediationLink{}, err
	}
	return s.remediation(ctx, "remediation link by account", sqlRemediationByAccount, string(acct))
}

func (s *LinkStore) remediation(ctx context.Context, op, sql string, key any) (links.RemediationLink, error) {
	if err := ctx.Err(); err != nil {
		return links.RemediationLink{}, err
	}
	l, err := scanRemediation(s.db.QueryRow(ctx, sql, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return links.RemediationLink{}, fmt.Errorf("%w: %s", links.ErrNotFound, op)
	}
	if err != nil {
		return links.RemediationLink{}, dbErr(ctx, op, err)
	}
	return l, nil
}

// UpdateRemediationLink implements links.Store.
func (s *LinkStore) UpdateRemediationLink(ctx context.Context, l links.RemediationLink) (links.RemediationLink, error) {
	if err := ctx.Err(); err != nil {
		return links.RemediationLink{}, err
	}
	// Validate what the UPDATE writes, before writing: the immutable
	// fields are not written, so only their shape is checked here.
	probe := l
	probe.Account, probe.Created, probe.ExpiresAt = "x", time.Unix(1, 0), time.Unix(1, 0)
	if err := probe.Validate(); err != nil {
		return links.RemediationLink{}, err
	}
	got, err := scanRemediation(s.db.QueryRow(ctx, sqlUpdateRemediation, string(l.ID), sqlVersion(l.Version),
		l.CreatedBy, l.Pending.String(), l.Failures, l.WrongInformation, l.Resets,
		l.Acknowledgements, l.ResetCredits, l.LastChangedBy))
	if err == nil {
		return got, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return links.RemediationLink{}, dbErr(ctx, "update remediation link", err)
	}
	cur, err := s.RemediationLink(ctx, l.ID)
	if err != nil {
		return links.RemediationLink{}, err
	}
	return cur, fmt.Errorf("%w: remediation link %s is at version %d, not %d", links.ErrConflict, l.ID, cur.Version, l.Version)
}

func remediationArgs(l links.RemediationLink) []any {
	return []any{string(l.ID), string(l.Account), l.CreatedBy, l.Created, l.ExpiresAt, l.Pending.String(),
		l.Failures, l.WrongInformation, l.Resets, l.Acknowledgements, l.ResetCredits, l.LastChangedBy,
		nullTime(l.RevokedAt)}
}

// scanAccountLink reads one row of accountLinkColumns.
func scanAccountLink(row pgx.Row) (links.AccountLink, error) {
	var (
		l              links.AccountLink
		hash, chain    []byte
		acct           string
		params         []byte
		used, returned *time.Time
		replaced       *time.Time
	)
	if err := row.Scan(&hash, &acct, &chain, &params, &l.Created, &l.ExpiresAt, &used, &returned,
		&l.ChainStarted, &replaced, &l.CreatedBy); err != nil {
		return links.AccountLink{}, err
	}
	if len(hash) != len(l.Hash) || len(chain) != len(l.Chain) {
		return links.AccountLink{}, errors.New("pgstore: account link: malformed hash column")
	}
	copy(l.Hash[:], hash)
	copy(l.Chain[:], chain)
	if err := json.Unmarshal(params, &l.Params); err != nil {
		return links.AccountLink{}, fmt.Errorf("pgstore: account link %s: params: %w", l.Hash, err)
	}
	l.Account = account.ID(acct)
	l.Created, l.ExpiresAt = l.Created.UTC(), l.ExpiresAt.UTC()
	l.UsedAt, l.ReturnedAt, l.ReplacedAt = fromNull(used), fromNull(returned), fromNull(replaced)
	l.ChainStarted = l.ChainStarted.UTC()
	return l, nil
}

// scanRemediation reads one row of remediationColumns.
func scanRemediation(row pgx.Row) (links.RemediationLink, error) {
	var (
		l           links.RemediationLink
		id, acct    string
		pending     string
		version     int64
		wrong, acks int
		revoked     *time.Time
	)
	if err := row.Scan(&id, &acct, &l.CreatedBy, &l.Created, &l.ExpiresAt, &pending, &l.Failures,
		&wrong, &l.Resets, &acks, &l.ResetCredits, &l.LastChangedBy, &revoked, &version); err != nil {
		return links.RemediationLink{}, err
	}
	f, ok := failureReasons[pending]
	if !ok {
		return links.RemediationLink{}, fmt.Errorf("pgstore: remediation link %s: unknown failure reason %q", id, pending)
	}
	l.ID, l.Account, l.Pending = links.LinkID(id), account.ID(acct), f
	l.WrongInformation, l.Acknowledgements = wrong, acks
	l.Created, l.ExpiresAt = l.Created.UTC(), l.ExpiresAt.UTC()
	l.Version = uint64(version)
	l.RevokedAt = fromNull(revoked)
	return l, nil
}

// failureReasons maps the stored names back to links.FailureReason.
var failureReasons = func() map[string]links.FailureReason {
	m := map[string]links.FailureReason{}
	for f := links.FailureReason(0); ; f++ {
		if f == 0 || f.Valid() {
			m[f.String()] = f
		}
		if f == 255 {
			return m
		}
	}
}()

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
