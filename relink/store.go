package relink

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Store keeps relink requests, and (AccountStore, embedded) the Financial
// Connections accounts they are for. Every write is conditional, so that replicas
// racing on one account cannot break the 48-hour limit (K3): of many
// concurrent limited requests for one account, exactly one is created.
// Implementations must be safe for concurrent use, honour ctx, and pass
// relinktest.TestStore.
//
// The contract of the limit, in one place: a limited request (Request.Limited)
// for an account is refused at now when a limited request for the same
// account exists with now < created_at + Window and status other than
// succeeded. Completing a request (status succeeded) is therefore what
// resets the limit, in the same update that completes it.
//
// The rule assumes that callers' now is monotone per account: replicas'
// clocks may disagree, but by a skew well under Window (seconds, not
// hours), and callers must keep it so. Then at most one limited request of
// an account can block at any instant — the account's latest limited
// request — so an adapter may keep just that one per account, as a claim,
// which is what the SQL below does. When now goes backwards across a
// window, the outcome is unspecified and implementations differ: after a
// limited request at T that failed and one at T+48h that succeeded, a
// limited request at T+1h is refused by MemoryStore (the failed request of T
// still blocks) and allowed by a claim-based adapter such as pgstore (the
// success released the claim).
//
// Each method's documentation gives the SQL it maps to, for a schema such
// as:
//
//	CREATE TABLE relink_requests (
//	  id text PRIMARY KEY, account text NOT NULL, authorization_id text NOT NULL,
//	  method text NOT NULL, created_by text NOT NULL,
//	  delivery text NOT NULL, purpose text NOT NULL, same_account boolean NOT NULL,
//	  limited boolean NOT NULL, status text NOT NULL, failure_reason text NOT NULL,
//	  relinked text NOT NULL, created_at timestamptz NOT NULL, closed_at timestamptz);
//	-- the limit: one row per account, claimed by its latest limited request
//	CREATE TABLE relink_limits (
//	  account text PRIMARY KEY, request_id text NOT NULL,
//	  created_at timestamptz NOT NULL, succeeded boolean NOT NULL DEFAULT false);
//
// Errors. Bad input is refused before anything is written, with an error
// matching ErrInvalid, by every Store alike: a request Request.Validate
// refuses, an outcome Result.Validate refuses, and in every method a
// RequestID or AccountID that RequestID.Validate or AccountID.Validate
// refuses (empty, NUL, invalid UTF-8, over MaxIDLen bytes) — never a
// driver's error. The sentinels each method documents (ErrInvalid,
// ErrExists, ErrNotFound, ErrNotPending, ErrRateLimited, ErrWrongAccount)
// mean the write was not applied. Any other error from a write — a context
// error, a lost connection, an unexpected EOF, anything else — leaves its
// outcome unknown: it may or may not have been applied, so the caller
// re-reads (Get, ListByAccount) before retrying.
//
// Times may be stored with microsecond
// precision, as PostgreSQL's timestamptz keeps them: CreatedAt and ClosedAt
// read back may be truncated to the microsecond, and callers must not rely
// on nanoseconds.
type Store interface {
	// AccountStore keeps the Financial Connections accounts, each with
	// the mark of the newest Stripe snapshot applied.
	AccountStore

	// CreateRequest stores r as a new pending request created at now and
	// returns the stored copy. r must pass Request.Validate (else an error
	// matching ErrInvalid); its Status, Relinked, FailureReason and
	// timestamps are ignored. An ID already taken is ErrExists. A limited
	// request refused by the limit is a *RateLimitedError whose
	// NextPossibleAt is the latest blocking created_at + Window. Unlimited
	// requests are always inserted, and neither claim nor check the limit.
	//
	// It is one conditional statement: a limited request claims the
	// account's relink_limits row with an upsert whose WHERE clause is the
	// limit (no row yet, the claiming request succeeded, or it is Window
	// old), and the request is inserted only if the claim succeeded.
	// Concurrent claims for one account serialise on that row, so exactly
	// one wins. In SQL:
	//
	//	WITH claim AS (
	//	    INSERT INTO relink_limits AS l (account, request_id, created_at, succeeded)
	//	    SELECT $account, $id, $now, false WHERE $limited
	//	    ON CONFLICT (account) DO UPDATE
	//	        SET request_id = EXCLUDED.request_id, created_at = EXCLUDED.created_at,
	//	            succeeded = false
	//	        WHERE l.succeeded OR l.created_at <= $now - interval '48 hours'
	//	    RETURNING 1)
	//	INSERT INTO relink_requests (id, account, authorization_id, method,
	//	    delivery, purpose, created_by, same_account, limited, status, created_at)
	//	SELECT $id, $account, $authorization, $method, $delivery, $purpose,
	//	    $created_by, $same, $limited, 'pending', $now
	//	WHERE NOT $limited OR EXISTS (SELECT 1 FROM claim);
	//	-- a primary-key violation on id: ErrExists (the claim rolls back with
	//	--   the statement)
	//	-- zero rows: a read-only SELECT classifies the refusal: the claim's
	//	--   created_at + 48 hours is NextPossibleAt (if the claim was released
	//	--   in between, try the statement again)
	CreateRequest(ctx context.Context, r Request, now time.Time) (Request, error)

	// Close ends a pending request with o at now and returns the stored
	// copy, applying Request.Close: ErrNotFound for an unknown ID,
	// ErrNotPending when it is no longer pending, *WrongAccountError (K4)
	// and ErrInvalid as Request.Close says. A refused Close changes
	// nothing. A succeeded Close resets the limit in the same statement
	// that completes the request, by marking the account's claim
	// succeeded if this request holds it. In SQL:
	//
	//	WITH closed AS (
	//	    UPDATE relink_requests
	//	    SET status = $status, relinked = $relinked, failure_reason = $reason, closed_at = $now
	//	    WHERE id = $id AND status = 'pending'
	//	      AND ($status <> 'succeeded' OR NOT same_account OR account = $relinked)
	//	    RETURNING *),
	//	reset AS (
	//	    UPDATE relink_limits l SET succeeded = true FROM closed
	//	    WHERE closed.status = 'succeeded'
	//	      AND l.account = closed.account AND l.request_id = closed.id)
	//	SELECT * FROM closed;
	//	-- zero rows: a read-only SELECT by id classifies the refusal
	//	--   (ErrNotFound, ErrNotPending, *WrongAccountError)
	Close(ctx context.Context, id RequestID, o Result, now time.Time) (Request, error)

	// Get returns the request with the given ID, or ErrNotFound.
	Get(ctx context.Context, id RequestID) (Request, error)

	// ListByAccount returns the account's requests in one stated order:
	// by CreatedAt (as stored), then by ID compared bytewise, as Go
	// compares strings (in SQL: ORDER BY created_at, id COLLATE "C"). So
	// two requests created at the same instant are listed by ID, not by
	// when they were inserted ("req_1001" before "req_999"). An account
	// without requests has an empty list.
	ListByAccount(ctx context.Context, account AccountID) ([]Request, error)
}

// MemoryStore is the in-memory Store. It is safe for concurrent use, returns
// copies, and implements the Store contract exactly; one mutex serializes
// its writes. Each account's limit is kept up to date by every write, so
// Service reads it in O(1), without the mutex. For Service, it also keeps
// each account's last refusal and the values it was decided from (the
// Account as passed, which keeps what it refers to reachable until another
// refusal replaces it), so that an ask repeated with the same values is
// answered without deciding again. The zero MemoryStore is empty and
// ready to use; it must not be copied after first use.
type MemoryStore struct {
	mu        sync.Mutex
	byID      map[RequestID]Request
	byAccount map[AccountID]*accountRequests
	// limits holds the same *accountRequests as byAccount, for reading
	// an account's limit without the mutex (limitOf).
	limits limitIndex
	// fc holds each stored account at a fixed address (a write replaces
	// the value in place), and fcOrder the same pointers, sorted by ID
	// bytewise when fcSorted: a page of FCAccounts is a binary search and
	// a slice of it.
	fc       map[AccountID]*StoredAccount
	fcOrder  []*StoredAccount
	fcSorted bool
}

// accountRequests is one account's requests in a MemoryStore: their IDs in
// insertion order (guarded by the store's mutex), the limit they impose
// (LimitOf, kept up to date by every write, so that reading it is O(1),
// and read without the mutex), and the account's last refusal with the
// inputs it was decided from (see lastRefusal).
type accountRequests struct {
	ids     []RequestID
	limit   atomic.Pointer[Limit] // never nil once stored
	refusal atomic.Pointer[lastRefusal]
}

// setLimit publishes l as the account's limit; the store's mutex is held.
func (ar *accountRequests) setLimit(l Limit) {
	if cur := ar.limit.Load(); cur == nil || *cur != l {
		ar.limit.Store(&l)
	}
}

// limitNow returns the account's limit.
func (ar *accountRequests) limitNow() Limit {
	if l := ar.limit.Load(); l != nil {
		return *l
	}
	return Limit{}
}

// limitOf returns LimitOf(ListByAccount(account)) and the account's
// refusal slot (nil for an account without requests), with no copy and
// without the mutex: the limit read is the one the latest write published.
// The caller has validated account.
func (s *MemoryStore) limitOf(ctx context.Context, account AccountID) (Limit, *atomic.Pointer[lastRefusal], error) {
	if err := ctx.Err(); err != nil {
		return Limit{}, nil, err
	}
	ar := s.limits.load(account)
	if ar == nil {
		return Limit{}, nil, nil
	}
	return ar.limitNow(), &ar.refusal, nil
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

var _ Store = (*MemoryStore)(nil)

// CreateRequest implements Store.
func (s *MemoryStore) CreateRequest(ctx context.Context, r Request, now time.Time) (Request, error) {
	if err := ctx.Err(); err != nil {
		return Request{}, err
	}
	if err := r.Validate(); err != nil {
		return Request{}, err
	}
	r.Status, r.Relinked, r.FailureReason = RequestPending, "", ""
	r.CreatedAt, r.ClosedAt = now, time.Time{}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID == nil {
		s.byID = make(map[RequestID]Request)
		s.byAccount = make(map[AccountID]*accountRequests)
	}
	if _, ok := s.byID[r.ID]; ok {
		return Request{}, ErrExists
	}
	ar := s.byAccount[r.Account]
	// ar.limit is the latest created_at + Window over the account's
	// limited requests not succeeded: it blocks exactly when one of them
	// does, and is then the latest blocking one.
	if r.Limited() && ar != nil {
		if l := ar.limitNow(); l.Blocks(now) {
			return Request{}, &RateLimitedError{Account: r.Account, NextPossibleAt: l.Until}
		}
	}
	if ar == nil {
		ar = new(accountRequests)
		s.byAccount[r.Account] = ar
		s.limits.store(r.Account, ar)
	}
	s.byID[r.ID] = r
	ar.ids = append(ar.ids, r.ID)
	if r.Limited() {
		if u := now.Add(Window); u.After(ar.limitNow().Until) {
			ar.setLimit(Limit{Until: u})
		}
	}
	return r, nil
}

// Close implements Store.
func (s *MemoryStore) Close(ctx context.Context, id RequestID, o Result, now time.Time) (Request, error) {
	if err := ctx.Err(); err != nil {
		return Request{}, err
	}
	if err := id.Validate(); err != nil {
		return Request{}, err
	}
	if err := o.Validate(); err != nil {
		return Request{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.byID[id]
	if !ok {
		return Request{}, ErrNotFound
	}
	r, err := r.Close(o, now)
	if err != nil {
		return Request{}, err
	}
	s.byID[id] = r
	if r.Status == RequestSucceeded && r.Limited() {
		// A success resets the limit: recompute it without this request.
		ar := s.byAccount[r.Account]
		var l Limit
		for _, id := range ar.ids {
			if o := s.byID[id]; o.Limited() && o.Status != RequestSucceeded {
				if u := o.CreatedAt.Add(Window); u.After(l.Until) {
					l.Until = u
				}
			}
		}
		ar.setLimit(l)
	}
	return r, nil
}

// Get implements Store.
func (s *MemoryStore) Get(ctx context.Context, id RequestID) (Request, error) {
	if err := ctx.Err(); err != nil {
		return Request{}, err
	}
	if err := id.Validate(); err != nil {
		return Request{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.byID[id]
	if !ok {
		return Request{}, ErrNotFound
	}
	return r, nil
}

// ListByAccount implements Store.
func (s *MemoryStore) ListByAccount(ctx context.Context, account AccountID) ([]Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := account.Validate(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []RequestID
	if ar := s.byAccount[account]; ar != nil {
		ids = ar.ids
	}
	out := make([]Request, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.byID[id])
	}
	sortRequests(out)
	return out, nil
}

// sortRequests orders requests by CreatedAt, then ID bytewise (the order
// ListByAccount states).
func sortRequests(rs []Request) {
	slices.SortStableFunc(rs, func(a, b Request) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
