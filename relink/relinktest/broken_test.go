package relinktest_test

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/relink/relinktest"
)

// brokenStore is a relink.Store whose conditional writes are removed:
// CreateRequest inserts whatever the limit says, and Close closes whatever
// the status is. Reads and validation are as the contract says.
type brokenStore struct {
	mu   sync.Mutex
	reqs map[relink.RequestID]relink.Request
	fc   map[relink.AccountID]relink.StoredAccount
}

func (s *brokenStore) FCAccount(ctx context.Context, id relink.AccountID) (relink.StoredAccount, error) {
	if err := id.Validate(); err != nil {
		return relink.StoredAccount{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.fc[id]
	if !ok {
		return relink.StoredAccount{}, relink.ErrNotFound
	}
	return a, nil
}

// PutFCAccount writes whatever the stored version is: no condition.
func (s *brokenStore) PutFCAccount(ctx context.Context, a relink.StoredAccount, expect uint64) (relink.StoredAccount, error) {
	if err := a.ValidateStored(); err != nil {
		return relink.StoredAccount{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fc == nil {
		s.fc = map[relink.AccountID]relink.StoredAccount{}
	}
	a.Version = expect + 1
	s.fc[a.Account.ID] = a
	return a, nil
}

func (s *brokenStore) FCAccounts(ctx context.Context, after relink.AccountID, limit int) ([]relink.StoredAccount, error) {
	if err := relink.ValidatePage(after, limit); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []relink.StoredAccount
	for id, a := range s.fc {
		if id > after {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b relink.StoredAccount) int {
		return strings.Compare(string(a.Account.ID), string(b.Account.ID))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *brokenStore) CreateRequest(ctx context.Context, r relink.Request, now time.Time) (relink.Request, error) {
	if err := r.Validate(); err != nil {
		return relink.Request{}, err
	}
	r.Status, r.Relinked, r.FailureReason, r.CreatedAt, r.ClosedAt = relink.RequestPending, "", "", now, time.Time{}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reqs == nil {
		s.reqs = map[relink.RequestID]relink.Request{}
	}
	s.reqs[r.ID] = r // no limit check, no ID check
	return r, nil
}

func (s *brokenStore) Close(ctx context.Context, id relink.RequestID, o relink.Result, now time.Time) (relink.Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reqs[id]
	if !ok {
		return relink.Request{}, relink.ErrNotFound
	}
	r.Status = relink.RequestPending // no "still pending" condition
	r, err := r.Close(o, now)
	if err != nil {
		return relink.Request{}, err
	}
	s.reqs[id] = r
	return r, nil
}

func (s *brokenStore) Get(ctx context.Context, id relink.RequestID) (relink.Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reqs[id]
	if !ok {
		return relink.Request{}, relink.ErrNotFound
	}
	return r, nil
}

func (s *brokenStore) ListByAccount(ctx context.Context, acct relink.AccountID) ([]relink.Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []relink.Request
	for _, r := range s.reqs {
		if r.Account == acct {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b relink.Request) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	return out, nil
}

const brokenEnv = "RELINKTEST_BROKEN_STORE"

// TestBrokenStoreHelper runs the suite against brokenStore; it runs only
// in the child process TestTestStore_RacesCatchUnconditionalWrites starts.
func TestBrokenStoreHelper(t *testing.T) {
	if os.Getenv(brokenEnv) == "" {
		t.Skip("run by TestTestStore_RacesCatchUnconditionalWrites")
	}
	relinktest.TestStore(t, func(*testing.T) relink.Store { return &brokenStore{} })
}

// TestTestStore_RacesCatchUnconditionalWrites: each single-winner clause
// fails against a store whose conditional write is removed. The clause
// runs in a child process (the suite takes a *testing.T), and the child's
// failure of that clause is what this test asserts.
func TestTestStore_RacesCatchUnconditionalWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for _, clause := range []string{"K3_Concurrent64CreateExactlyOne", "K3_Race64ServiceRequestsOneWins", "Race64ClosesOneWins",
		"K1_Race64SameSnapshotAppliedOnce", "K1_RaceOlderAndNewerSnapshotNewerWins"} {
		t.Run(clause, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenStoreHelper$/^"+clause+"$", "-test.count=1")
			cmd.Env = append(os.Environ(), brokenEnv+"=1")
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), "--- FAIL: TestBrokenStoreHelper/"+clause) {
				t.Fatalf("clause %s did not fail against a store without its conditional write (err %v):\n%s", clause, err, out)
			}
		})
	}
}
