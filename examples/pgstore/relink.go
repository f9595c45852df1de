package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/snapshot"
)

// RelinkStore is a relink.Store on PostgreSQL: the tables relink_requests
// and relink_limits of migrations/0002_relink.sql (and the request's
// authorization_id, migrations/0006_relink_authorization.sql, and who
// asked, created_by, migrations/0010_relink_created_by.sql), and the
// Financial Connections accounts of relink.AccountStore, the table
// relink_fc_accounts of migrations/0012_relink_fc_accounts.sql. Bad input
// (relink.Request.Validate, relink.Result.Validate, RequestID and
// AccountID validation) is refused with relink.ErrInvalid before any
// statement runs. ListByAccount orders by created_at, then id COLLATE "C"
// (bytewise), as relink.Store states.
//
// Every write is one statement. CreateRequest claims the account's
// relink_limits row with an upsert whose WHERE clause is the 48-hour limit,
// and inserts the request only if the claim succeeded; Close completes a
// pending request and, when it succeeded, releases the claim, which resets
// the limit (K3). Concurrent requests for one account serialise on its
// relink_limits row, so exactly one limited request per window is created
// however many replicas race.
//
// Times are stored as timestamptz, to the microsecond. A RelinkStore is
// safe for concurrent use. The zero value is not usable; call
// NewRelinkStore.
type RelinkStore struct {
	db *pgxpool.Pool
}

var _ relink.Store = (*RelinkStore)(nil)

// NewRelinkStore returns a RelinkStore over db. The tables must exist: run
// Migrate first.
func NewRelinkStore(db *pgxpool.Pool) *RelinkStore { return &RelinkStore{db: db} }

const relinkColumns = `id, account, authorization_id, method, delivery, purpose, same_account, status,
	failure_reason, relinked, created_at, closed_at, created_by`

const (
	// sqlCreateRelink: $7 is Request.Limited(), $9 now and $10 the limit's
	// cutoff, now - relink.Window. One round trip that both checks the
	// 48-hour limit and inserts:
	//
	//   - blocked reads the account's limit row, as of the statement's
	//     snapshot, when it holds an unsucceeded claim younger than 48
	//     hours. Then the claim's SELECT yields no row, so the upsert never
	//     reaches ON CONFLICT: a refusal locks no row and writes nothing,
	//     and its commit has no WAL to flush.
	//   - Otherwise a limited request claims the account's limit row when
	//     it has none, when its request succeeded, or when that request is
	//     at least 48 hours old (the ON CONFLICT WHERE clause, evaluated on
	//     the row's latest version under its lock, so that concurrent
	//     claims serialise on it); the request is inserted only if the
	//     claim succeeded. If the ID is taken the INSERT fails and the
	//     whole statement, claim included, rolls back.
	//
	// It returns whether the request was inserted, the blocking claim's
	// created_at (NULL when not blocked), and, only when not inserted,
	// whether the ID was already taken. Not inserted and neither blocked
	// nor taken means a concurrent claim won after the snapshot was taken:
	// CreateRequest tries again, and the next snapshot sees it.
	sqlCreateRelink = `WITH blocked AS (
			SELECT created_at FROM relink_limits
			WHERE $7 AND account = $2 AND NOT succeeded AND created_at > $10),
		claim AS (
			INSERT INTO relink_limits AS l (account, request_id, created_at, succeeded)
			SELECT $2, $1, $9, false WHERE $7 AND NOT EXISTS (SELECT 1 FROM blocked)
			ON CONFLICT (account) DO UPDATE
				SET request_id = EXCLUDED.request_id, created_at = EXCLUDED.created_at, succeeded = false
				WHERE l.succeeded OR l.created_at <= $10
			RETURNING 1),
		ins AS (
			INSERT INTO relink_requests (id, account, method, delivery, purpose, same_account, limited, status, created_at, authorization_id, created_by)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $12
			WHERE NOT $7 OR EXISTS (SELECT 1 FROM claim)
			RETURNING 1)
		SELECT EXISTS (SELECT 1 FROM ins), (SELECT created_at FROM blocked),
			CASE WHEN NOT EXISTS (SELECT 1 FROM ins) THEN EXISTS (SELECT 1 FROM relink_requests WHERE id = $1) ELSE false END`

	// sqlCloseRelink ends a pending request ($2 is the final status, $3
	// the relinked account — recorded as the account asked for only where
	// the same account was required —, $4 the failure reason, $6 the
	// relink_result's authorization, which must be the request's) and, on success,
	// releases the account's limit claim if this request holds it.
	sqlCloseRelink = `WITH closed AS (
			UPDATE relink_requests SET
				status = $2,
				relinked = CASE WHEN $2 <> 'succeeded' THEN relinked
					WHEN same_account THEN COALESCE(NULLIF($3, ''), account) ELSE $3 END,
				failure_reason = CASE WHEN $2 = 'failed' THEN $4 ELSE failure_reason END,
				closed_at = $5
			WHERE id = $1 AND status = 'pending'
				AND ($2 <> 'succeeded' OR NOT same_account OR account = COALESCE(NULLIF($3, ''), account))
				AND ($2 <> 'succeeded' OR $6 = '' OR authorization_id = '' OR authorization_id = $6)
			RETURNING ` + relinkColumns + `),
		reset AS (
			UPDATE relink_limits l SET succeeded = true
			FROM closed
			WHERE closed.status = 'succeeded' AND l.account = closed.account AND l.request_id = closed.id)
		SELECT ` + relinkColumns + ` FROM closed`

	sqlGetRelink = `SELECT ` + relinkColumns + ` FROM relink_requests WHERE id = $1`

	// The ID is compared bytewise, as Go compares strings.
	sqlListRelink = `SELECT ` + relinkColumns + ` FROM relink_requests WHERE account = $1
		ORDER BY created_at, id COLLATE "C"`
)

// CreateRequest implements relink.Store.
func (s *RelinkStore) CreateRequest(ctx context.Context, r relink.Request, now time.Time) (relink.Request, error) {
	if err := ctx.Err(); err != nil {
		return relink.Request{}, err
	}
	if err := r.Validate(); err != nil {
		return relink.Request{}, err
	}
	now = now.Round(0).UTC()
	r.Status, r.Relinked, r.FailureReason = relink.RequestPending, "", ""
	r.ClosedAt = time.Time{}
	cutoff := now.Add(-relink.Window)
	// The statement classifies a refusal itself. If a concurrent claim
	// won after its snapshot was taken, the insert is tried again; that
	// can only happen a few times in a row.
	for attempt := 0; ; attempt++ {
		var (
			inserted, taken bool
			blocked         *time.Time
		)
		err := s.db.QueryRow(ctx, sqlCreateRelink, string(r.ID), string(r.Account), r.Method.String(),
			string(r.Delivery), r.Purpose.String(), r.SameAccount, r.Limited(), string(relink.RequestPending),
			now, cutoff, string(r.Authorization), r.CreatedBy).Scan(&inserted, &blocked, &taken)
		if isUniqueViolation(err, "relink_requests_pkey") {
			return relink.Request{}, fmt.Errorf("%w: %s", relink.ErrExists, r.ID)
		}
		if err != nil {
			return relink.Request{}, dbErr(ctx, "create relink request", err)
		}
		switch {
		case inserted:
			stored := r
			stored.CreatedAt = now.Truncate(time.Microsecond)
			return stored, nil
		case taken:
			return relink.Request{}, fmt.Errorf("%w: %s", relink.ErrExists, r.ID)
		case blocked != nil:
			return relink.Request{}, &relink.RateLimitedError{Account: r.Account, NextPossibleAt: blocked.UTC().Add(relink.Window)}
		case attempt >= 10:
			return relink.Request{}, fmt.Errorf("pgstore: create relink request %s: the limit kept changing; try again", r.ID)
		}
	}
}

// Close implements relink.Store.
func (s *RelinkStore) Close(ctx context.Context, id relink.RequestID, o relink.Result, now time.Time) (relink.Request, error) {
	if err := ctx.Err(); err != nil {
		return relink.Request{}, err
	}
	// Refuse bad input before the database sees it, as every Store does.
	if err := id.Validate(); err != nil {
		return relink.Request{}, err
	}
	if err := o.Validate(); err != nil {
		return relink.Request{}, err
	}
	now = now.Round(0).UTC()
	switch o.Status {
	case relink.RequestSucceeded, relink.RequestFailed, relink.RequestCancelled, relink.RequestExpired:
		reason := o.FailureReason
		if o.Status == relink.RequestFailed && reason == "" {
			reason = relink.FailureOther
		}
		got, err := scanRequest(s.db.QueryRow(ctx, sqlCloseRelink, string(id), string(o.Status),
			string(o.Relinked), string(reason), now, string(o.Authorization)))
		if err == nil {
			return got, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return relink.Request{}, dbErr(ctx, "close relink request", err)
		}
	}
	// Refused, or not a final status: read the request and let
	// Request.Close say why, exactly as the in-memory store does.
	r, err := s.Get(ctx, id)
	if err != nil {
		return relink.Request{}, err
	}
	if _, err := r.Close(o, now); err != nil {
		return relink.Request{}, err
	}
	return relink.Request{}, fmt.Errorf("%w: request %s changed while closing it", relink.ErrNotPending, id)
}

// Get implements relink.Store.
func (s *RelinkStore) Get(ctx context.Context, id relink.RequestID) (relink.Request, error) {
	if err := ctx.Err(); err != nil {
		return relink.Request{}, err
	}
	if err := id.Validate(); err != nil {
		return relink.Request{}, err
	}
	r, err := scanRequest(s.db.QueryRow(ctx, sqlGetRelink, string(id)))
	if errors.Is(err, pgx.ErrNoRows) {
		return relink.Request{}, fmt.Errorf("%w: %s", relink.ErrNotFound, id)
	}
	if err != nil {
		return relink.Request{}, dbErr(ctx, "get relink request", err)
	}
	return r, nil
}

// ListByAccount implements relink.Store.
func (s *RelinkStore) ListByAccount(ctx context.Context, acct relink.AccountID) ([]relink.Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := acct.Validate(); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, sqlListRelink, string(acct))
	if err != nil {
		return nil, dbErr(ctx, "list relink requests", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relink.Request, error) { return scanRequest(row) })
	if err != nil {
		return nil, dbErr(ctx, "list relink requests", err)
	}
	if out == nil {
		out = []relink.Request{}
	}
	return out, nil
}

// scanRequest reads one row of relinkColumns.
func scanRequest(row pgx.Row) (relink.Request, error) {
	var (
		r                      relink.Request
		method, purpose        string
		id, acct, delivery     string
		authorization          string
		status, reason, relnkd string
		closed                 *time.Time
	)
	if err := row.Scan(&id, &acct, &authorization, &method, &delivery, &purpose, &r.SameAccount, &status,
		&reason, &relnkd, &r.CreatedAt, &closed, &r.CreatedBy); err != nil {
		return relink.Request{}, err
	}
	var ok bool
	if r.Method, ok = methods[method]; !ok {
		return relink.Request{}, fmt.Errorf("pgstore: relink request %s: unknown method %q", id, method)
	}
	if r.Purpose, ok = purposes[purpose]; !ok {
		return relink.Request{}, fmt.Errorf("pgstore: relink request %s: unknown purpose %q", id, purpose)
	}
	r.ID, r.Account, r.Delivery = relink.RequestID(id), relink.AccountID(acct), relink.Delivery(delivery)
	r.Authorization = relink.AuthorizationID(authorization)
	r.Status, r.FailureReason, r.Relinked = relink.RequestStatus(status), relink.FailureReason(reason), relink.AccountID(relnkd)
	r.CreatedAt = r.CreatedAt.UTC()
	if closed != nil {
		r.ClosedAt = closed.UTC()
	}
	return r, nil
}

// methods and purposes map the stored names back to the enums.
var (
	methods  = map[string]relink.Method{}
	purposes = map[string]relink.Purpose{}
)

func init() {
	for m := relink.Method(1); m.Valid(); m++ {
		methods[m.String()] = m
	}
	for p := relink.Purpose(0); p.Valid(); p++ {
		purposes[p.String()] = p
	}
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation
// on the named constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == constraint
}

const (
	// sqlCreateFCAccount creates an account at version 1, or does nothing
	// when it exists (ErrExists).
	sqlCreateFCAccount = `INSERT INTO relink_fc_accounts (id, body, mark_unix, mark_nanos, mark_event_id, version)
		VALUES ($1, $2, $3, $4, $5, 1)
		ON CONFLICT (id) DO NOTHING`

	// sqlUpdateFCAccount writes a newer snapshot conditionally on the
	// version the caller read (and judged the mark against).
	// sqlUpdateFCAccount writes a snapshot conditionally on the version
	// the caller read and on the ordering guard: the stored mark is not
	// newer than the one written (no mark stored; an earlier second or
	// nanosecond; or the same instant and an event ID not greater,
	// bytewise). A zero mark ($3 NULL) replaces only a zero mark.
	sqlUpdateFCAccount = `UPDATE relink_fc_accounts
		SET body = $2, mark_unix = $3, mark_nanos = $4, mark_event_id = $5, version = version + 1
		WHERE id = $1 AND version = $6
			AND (mark_unix IS NULL
				OR mark_unix < $3
				OR mark_unix = $3 AND (mark_nanos < $4
					OR mark_nanos = $4 AND mark_event_id COLLATE "C" <= $5::text COLLATE "C"))`

	// sqlFCAccountVersion classifies an update that matched no row.
	sqlFCAccountVersion = `SELECT version, mark_unix, mark_nanos, mark_event_id FROM relink_fc_accounts WHERE id = $1`

	sqlGetFCAccount = `SELECT body, mark_unix, mark_nanos, mark_event_id, version FROM relink_fc_accounts WHERE id = $1`

	// The ID is compared bytewise, as Go compares strings.
	sqlListFCAccounts = `SELECT body, mark_unix, mark_nanos, mark_event_id, version FROM relink_fc_accounts
		WHERE id COLLATE "C" > $1 ORDER BY id COLLATE "C" LIMIT $2`
)

// FCAccount implements relink.AccountStore: the table relink_fc_accounts
// of migrations/0012_relink_fc_accounts.sql. The account is stored as
// relink.Account.MarshalJSON and read back with relink.ParseAccount, so an
// account is stored faithfully when it round-trips through its JSON (every
// account ParseAccount returns does; timestamps keep whole seconds). The
// mark is stored exactly.
func (s *RelinkStore) FCAccount(ctx context.Context, id relink.AccountID) (relink.StoredAccount, error) {
	if err := ctx.Err(); err != nil {
		return relink.StoredAccount{}, err
	}
	if err := id.Validate(); err != nil {
		return relink.StoredAccount{}, err
	}
	st, err := scanFCAccount(s.db.QueryRow(ctx, sqlGetFCAccount, string(id)))
	if errors.Is(err, pgx.ErrNoRows) {
		return relink.StoredAccount{}, fmt.Errorf("%w: financial connections account %s", relink.ErrNotFound, id)
	}
	if err != nil {
		return relink.StoredAccount{}, dbErr(ctx, "get financial connections account", err)
	}
	return st, nil
}

// PutFCAccount implements relink.AccountStore with one conditional
// statement: an INSERT … ON CONFLICT DO NOTHING for expected version 0, an
// UPDATE … WHERE version = $expected AND <the stored mark is not newer>
// otherwise. relink.Service judged the new mark against the mark stored at
// that version; the mark comparison in the WHERE clause (created, then
// event ID with COLLATE "C", bytewise as Go compares) makes the statement
// itself refuse an older snapshot even from a caller that skipped the
// judge. A write that matched no row is classified by a read-only SELECT.
func (s *RelinkStore) PutFCAccount(ctx context.Context, a relink.StoredAccount, expect uint64) (relink.StoredAccount, error) {
	if err := ctx.Err(); err != nil {
		return relink.StoredAccount{}, err
	}
	if err := a.ValidateStored(); err != nil {
		return relink.StoredAccount{}, err
	}
	body, err := a.Account.MarshalJSON()
	if err != nil {
		return relink.StoredAccount{}, err
	}
	var unix *int64
	var nanos *int32
	if !a.Mark.IsZero() {
		u, n := a.Mark.Created.Unix(), int32(a.Mark.Created.Nanosecond())
		unix, nanos = &u, &n
	}
	id := string(a.Account.ID)
	if expect == 0 {
		tag, err := s.db.Exec(ctx, sqlCreateFCAccount, id, string(body), unix, nanos, a.Mark.EventID)
		if err != nil {
			return relink.StoredAccount{}, dbErr(ctx, "create financial connections account", err)
		}
		if tag.RowsAffected() == 0 {
			return relink.StoredAccount{}, fmt.Errorf("%w: financial connections account %s", relink.ErrExists, id)
		}
	} else {
		tag, err := s.db.Exec(ctx, sqlUpdateFCAccount, id, string(body), unix, nanos, a.Mark.EventID, sqlVersion(expect))
		if err != nil {
			return relink.StoredAccount{}, dbErr(ctx, "update financial connections account", err)
		}
		if tag.RowsAffected() == 0 {
			var (
				cur      int64
				curUnix  *int64
				curNanos *int32
				curEvent string
			)
			err := s.db.QueryRow(ctx, sqlFCAccountVersion, id).Scan(&cur, &curUnix, &curNanos, &curEvent)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				return relink.StoredAccount{}, fmt.Errorf("%w: financial connections account %s", relink.ErrNotFound, id)
			case err != nil:
				return relink.StoredAccount{}, dbErr(ctx, "update financial connections account", err)
			case uint64(cur) == expect && curUnix != nil && curNanos != nil:
				stored := snapshot.Mark{Created: time.Unix(*curUnix, int64(*curNanos)).UTC(), EventID: curEvent}
				return relink.StoredAccount{}, fmt.Errorf("%w: financial connections account %s holds the snapshot of event %s, newer than %s",
					relink.ErrConflict, id, stored.EventID, markName(a.Mark))
			}
			return relink.StoredAccount{}, fmt.Errorf("%w: financial connections account %s is at version %d, not %d", relink.ErrConflict, id, cur, expect)
		}
	}
	a.Version = expect + 1
	a.Account = a.Account.Clone()
	if !a.Mark.IsZero() {
		a.Mark.Created = time.Unix(*unix, int64(*nanos)).UTC()
	}
	return a, nil
}

// markName names a mark in an error.
func markName(m snapshot.Mark) string {
	if m.IsZero() {
		return "no event"
	}
	return "event " + m.EventID
}

// FCAccounts implements relink.AccountStore.
func (s *RelinkStore) FCAccounts(ctx context.Context, after relink.AccountID, limit int) ([]relink.StoredAccount, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := relink.ValidatePage(after, limit); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, sqlListFCAccounts, string(after), limit)
	if err != nil {
		return nil, dbErr(ctx, "list financial connections accounts", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relink.StoredAccount, error) { return scanFCAccount(row) })
	if err != nil {
		return nil, dbErr(ctx, "list financial connections accounts", err)
	}
	if out == nil {
		out = []relink.StoredAccount{}
	}
	return out, nil
}

// scanFCAccount reads one row of body, mark and version.
func scanFCAccount(row pgx.Row) (relink.StoredAccount, error) {
	var (
		body    string
		unix    *int64
		nanos   *int32
		eventID string
		version int64
	)
	if err := row.Scan(&body, &unix, &nanos, &eventID, &version); err != nil {
		return relink.StoredAccount{}, err
	}
	a, err := relink.ParseAccount([]byte(body))
	if err != nil {
		return relink.StoredAccount{}, fmt.Errorf("pgstore: stored financial connections account: %w", err)
	}
	st := relink.StoredAccount{Account: a, Version: uint64(version)}
	if unix != nil && nanos != nil {
		st.Mark = snapshot.Mark{Created: time.Unix(*unix, int64(*nanos)).UTC(), EventID: eventID}
	}
	return st, nil
}
