package relink

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// Store keeps relink requests. Every write is conditional, so that replicas
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
type Store interface {
	// CreateRequest stores r as a new pending request created at now and
	// returns the stored copy. r must pass Request.Validate (else an error
	// matching ErrInvalid); its Status, Relinked, FailureReason and
	// timestamps are ignored. An ID already taken is ErrExists. A limited
	// request refused by the limit is a *RateLimitedError whose
	// NextPossibleAt is the latest blocking created_at + Window. Unlimited
	// requests are always inserted. It is one conditional write; in SQL:
	//
	//	BEGIN;
	//	SELECT 1 FROM relink_accounts WHERE id = $account FOR UPDATE; -- per-account lock
	//	INSERT INTO relink_requests (id, account, method, delivery, purpose,
	//	    same_account, limited, status, created_at)
	//	SELECT $id, $account, $method, $delivery, $purpose, $same, $limited, 'pending', $now
	//	WHERE NOT $limited OR NOT EXISTS (
	//	    SELECT 1 FROM relink_requests
	//	    WHERE account = $account AND limited AND status <> 'succeeded'
	//	      AND created_at > $now - interval '48 hours')
	//	RETURNING *;
	//	-- no row: SELECT max(created_at) + interval '48 hours' ... for NextPossibleAt
	//	COMMIT;
	//
	// (pg_advisory_xact_lock(hashtext($account)) or SERIALIZABLE isolation
	// serve as well as the row lock.)
	CreateRequest(ctx context.Context, r Request, now time.Time) (Request, error)

	// Close ends a pending request with o at now and returns the stored
	// copy, applying Request.Close: ErrNotFound for an unknown ID,
	// ErrConflict when it is no longer pending, *WrongAccountError (K4)
	// and ErrInvalid as Request.Close says. A refused Close changes
	// nothing. In SQL:
	//
	//	UPDATE relink_requests
	//	SET status = $status, relinked = $relinked, failure_reason = $reason, closed_at = $now
	//	WHERE id = $id AND status = 'pending'
	//	  AND ($status <> 'succeeded' OR NOT same_account OR account = $relinked)
	//	RETURNING *;
	Close(ctx context.Context, id RequestID, o Outcome, now time.Time) (Request, error)

	// Get returns the request with the given ID, or ErrNotFound.
	Get(ctx context.Context, id RequestID) (Request, error)

	// ListByAccount returns the account's requests, oldest first (by
	// CreatedAt, then ID); an account without requests has an empty list.
	ListByAccount(ctx context.Context, account AccountID) ([]Request, error)
}

// MemStore is the in-memory Store. It is safe for concurrent use, returns
// copies, and implements the Store contract exactly; one mutex serializes
// its writes. The zero MemStore is empty and ready to use; it must not be
// copied after first use.
type MemStore struct {
	mu        sync.Mutex
	byID      map[RequestID]Request
	byAccount map[AccountID][]RequestID
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{} }

var _ Store = (*MemStore)(nil)

// CreateRequest implements Store.
func (s *MemStore) CreateRequest(ctx context.Context, r Request, now time.Time) (Request, error) {
	if err := ctx.Err(); err != nil {
		return Request{}, err
	}
	if err := r.Validate(); err != nil {
		return Request{}, err
	}
	r.Status, r.Relinked, r.FailureReason = StatusPending, "", ""
	r.CreatedAt, r.ClosedAt = now, time.Time{}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID == nil {
		s.byID = make(map[RequestID]Request)
		s.byAccount = make(map[AccountID][]RequestID)
	}
	if _, ok := s.byID[r.ID]; ok {
		return Request{}, ErrExists
	}
	if r.Limited() {
		var until time.Time
		for _, id := range s.byAccount[r.Account] {
			o := s.byID[id]
			if o.Limited() && o.Status != StatusSucceeded && now.Before(o.CreatedAt.Add(Window)) {
				if u := o.CreatedAt.Add(Window); u.After(until) {
					until = u
				}
			}
		}
		if !until.IsZero() {
			return Request{}, &RateLimitedError{Account: r.Account, NextPossibleAt: until}
		}
	}
	s.byID[r.ID] = r
	s.byAccount[r.Account] = append(s.byAccount[r.Account], r.ID)
	return r, nil
}

// Close implements Store.
func (s *MemStore) Close(ctx context.Context, id RequestID, o Outcome, now time.Time) (Request, error) {
	if err := ctx.Err(); err != nil {
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
	return r, nil
}

// Get implements Store.
func (s *MemStore) Get(ctx context.Context, id RequestID) (Request, error) {
	if err := ctx.Err(); err != nil {
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
func (s *MemStore) ListByAccount(ctx context.Context, account AccountID) ([]Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.byAccount[account]
	out := make([]Request, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.byID[id])
	}
	sortRequests(out)
	return out, nil
}

// sortRequests orders requests by CreatedAt, then ID.
func sortRequests(rs []Request) {
	slices.SortStableFunc(rs, func(a, b Request) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
