package relinktest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/snapshot"
)

// FCAccount reads, then waits at the barrier.
func (r *Racer) FCAccount(ctx context.Context, id relink.AccountID) (relink.StoredAccount, error) {
	got, err := r.Store.FCAccount(ctx, id)
	if herr := r.hold(ctx); herr != nil {
		return relink.StoredAccount{}, herr
	}
	return got, err
}

// fcAccount returns a valid account with a TAN and a Customer holder.
func fcAccount(id relink.AccountID, status relink.AccountStatus) relink.Account {
	a := relink.Account{ID: id, Livemode: true, Status: status,
		Authorization: relink.AuthorizationID("fcauth_" + string(id)),
		Holder:        relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1", Email: "jenny@example.com"},
		Permissions:   []relink.Permission{relink.PermissionBalances},
		AccountNumbers: []relink.AccountNumber{{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberTransactable,
			ExpectedExpiry: relink.TimestampOf(t0.Add(90 * 24 * time.Hour)), SupportedNetworks: []relink.Network{relink.NetworkACH}}}}
	if status == relink.AccountInactive {
		a.Inactive = relink.InactiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired}
	}
	return a
}

// mark returns the mark of an event sec seconds after T0 with ID id.
func mark(sec int, id string) snapshot.Mark {
	return snapshot.Mark{Created: t0.Add(time.Duration(sec) * time.Second), EventID: id}
}

func testAccounts(t *testing.T, newStore func(t *testing.T) relink.Store) {
	ctx := context.Background()
	t.Run("K1_FCAccountPutGetList", func(t *testing.T) {
		s := newStore(t)
		id := relink.AccountID(fresh("fca"))
		in := relink.StoredAccount{Account: fcAccount(id, relink.AccountActive), Mark: mark(0, "evt_1"), Version: 99}
		got, err := s.PutFCAccount(ctx, in, 0)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		want := in
		want.Version = 1
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("created (-want +got):\n%s", d)
		}
		got.Account.AccountNumbers[0].Status = relink.NumberDeactivated // a copy: must not reach the store
		if g, err := s.FCAccount(ctx, id); err != nil || !cmp.Equal(want, g) {
			t.Fatalf("FCAccount = %+v, %v; want %+v", g, err, want)
		}
		next := relink.StoredAccount{Account: fcAccount(id, relink.AccountInactive), Mark: mark(1, "evt_2")}
		if g, err := s.PutFCAccount(ctx, next, 1); err != nil || g.Version != 2 {
			t.Fatalf("update at version 1 = %+v, %v; want version 2", g, err)
		}
		if _, err := s.PutFCAccount(ctx, in, 0); !errors.Is(err, relink.ErrExists) {
			t.Fatalf("create again = %v, want ErrExists", err)
		}
		if _, err := s.PutFCAccount(ctx, in, 1); !errors.Is(err, relink.ErrConflict) {
			t.Fatalf("update at stale version 1 = %v, want ErrConflict", err)
		}
		other := relink.StoredAccount{Account: fcAccount(relink.AccountID(fresh("fca")), relink.AccountActive)}
		if _, err := s.PutFCAccount(ctx, other, 3); !errors.Is(err, relink.ErrNotFound) {
			t.Fatalf("update of an account never stored = %v, want ErrNotFound", err)
		}
		if _, err := s.FCAccount(ctx, other.Account.ID); !errors.Is(err, relink.ErrNotFound) {
			t.Fatalf("FCAccount(unknown) = %v, want ErrNotFound", err)
		}
		final, _ := s.FCAccount(ctx, id)
		if final.Version != 2 || final.Account.Status != relink.AccountInactive || final.Mark != next.Mark {
			t.Fatalf("after refused writes the store holds %+v; want version 2, inactive, %v", final, next.Mark)
		}
		// A zero mark (an account read from the API, not from an event) is accepted.
		if g, err := s.PutFCAccount(ctx, relink.StoredAccount{Account: fcAccount(relink.AccountID(fresh("fca")), relink.AccountActive)}, 0); err != nil || !g.Mark.IsZero() {
			t.Fatalf("create with a zero mark = %+v, %v", g, err)
		}
	})
	t.Run("K1_FCAccountsOrderedByIDBytewiseInPages", func(t *testing.T) {
		s := newStore(t)
		prefix := fresh("fcl") + "_"
		ids := []relink.AccountID{relink.AccountID(prefix + "9"), relink.AccountID(prefix + "10"), relink.AccountID(prefix + "B"), relink.AccountID(prefix + "a")}
		for _, id := range ids {
			if _, err := s.PutFCAccount(ctx, relink.StoredAccount{Account: fcAccount(id, relink.AccountActive)}, 0); err != nil {
				t.Fatal(err)
			}
		}
		var got []relink.AccountID
		after := relink.AccountID(prefix)
		for {
			page, err := s.FCAccounts(ctx, after, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range page {
				if strings.HasPrefix(string(st.Account.ID), prefix) {
					got = append(got, st.Account.ID)
				}
				if st.Version != 1 {
					t.Fatalf("listed %s at version %d, want 1", st.Account.ID, st.Version)
				}
			}
			if len(page) < 3 {
				break
			}
			after = page[len(page)-1].Account.ID
		}
		want := []relink.AccountID{relink.AccountID(prefix + "10"), relink.AccountID(prefix + "9"), relink.AccountID(prefix + "B"), relink.AccountID(prefix + "a")}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("FCAccounts order (-want +got):\n%s", d)
		}
	})
	t.Run("K1_FCAccountBadInputRefusedAlike", func(t *testing.T) {
		s := newStore(t)
		id := relink.AccountID(fresh("fca"))
		ok, err := s.PutFCAccount(ctx, relink.StoredAccount{Account: fcAccount(id, relink.AccountActive), Mark: mark(0, "evt_ok")}, 0)
		if err != nil {
			t.Fatal(err)
		}
		bad := map[string]string{"NUL": "fca_\x00_1", "invalid UTF-8": "fca_\xff\xfe", "12,000 characters": strings.Repeat("f", 12000)}
		for name, v := range bad {
			badID := fcAccount(relink.AccountID(v), relink.AccountActive)
			badAuth := fcAccount(id, relink.AccountActive)
			badAuth.Authorization = relink.AuthorizationID(v)
			for field, st := range map[string]relink.StoredAccount{
				"account id":    {Account: badID},
				"authorization": {Account: badAuth},
				"mark":          {Account: fcAccount(id, relink.AccountActive), Mark: snapshot.Mark{Created: t0, EventID: v}},
			} {
				for _, expect := range []uint64{0, 1} {
					if _, err := s.PutFCAccount(ctx, st, expect); !errors.Is(err, relink.ErrInvalid) {
						t.Errorf("PutFCAccount with %s in %s (expect %d) = %v, want ErrInvalid", name, field, expect, err)
					}
				}
			}
			if _, err := s.FCAccount(ctx, relink.AccountID(v)); !errors.Is(err, relink.ErrInvalid) {
				t.Errorf("FCAccount(%s) = %v, want ErrInvalid", name, err)
			}
			if _, err := s.FCAccounts(ctx, relink.AccountID(v), 10); !errors.Is(err, relink.ErrInvalid) {
				t.Errorf("FCAccounts(after %s) = %v, want ErrInvalid", name, err)
			}
		}
		unknown := fcAccount(id, relink.AccountActive)
		unknown.Status = "frozen"
		if _, err := s.PutFCAccount(ctx, relink.StoredAccount{Account: unknown}, 1); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("PutFCAccount with an unknown status = %v, want ErrInvalid", err)
		}
		for _, n := range []int{0, -1, relink.MaxAccountsPage + 1} {
			if _, err := s.FCAccounts(ctx, "", n); !errors.Is(err, relink.ErrInvalid) {
				t.Errorf("FCAccounts(limit %d) = %v, want ErrInvalid", n, err)
			}
		}
		if g, err := s.FCAccount(ctx, id); err != nil || !cmp.Equal(ok, g) {
			t.Fatalf("after refused writes the store holds %+v, %v; want %+v", g, err, ok)
		}
	})
	t.Run("K1_FCAccountOlderMarkNeverReplacesNewer", func(t *testing.T) {
		// The ordering guard is in the Store's write itself: even a caller
		// that skipped the judge, holding the current version, cannot put
		// an older snapshot over a newer one (ErrConflict, nothing
		// written). Older is by Created, then by event ID bytewise; the
		// same mark again, and any mark over a zero one, are written.
		s := newStore(t)
		id := relink.AccountID(fresh("fca"))
		newer := relink.StoredAccount{Account: fcAccount(id, relink.AccountInactive), Mark: mark(10, "evt_b")}
		cur, err := s.PutFCAccount(ctx, relink.StoredAccount{Account: fcAccount(id, relink.AccountActive)}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if cur, err = s.PutFCAccount(ctx, newer, cur.Version); err != nil || cur.Version != 2 {
			t.Fatalf("newer mark over the zero mark = %+v, %v; want version 2", cur, err)
		}
		for name, m := range map[string]snapshot.Mark{
			"an earlier second":                 mark(9, "evt_z"),
			"the same second, smaller event ID": mark(10, "evt_a"),
			// 'C' < 'b' bytewise, though a linguistic collation puts b first
			"the same second, ID smaller only bytewise": mark(10, "evt_C"),
			"the same second, a prefix ID":              mark(10, "evt_"),
			"an earlier nanosecond":                     {Created: mark(10, "").Created.Add(-time.Nanosecond), EventID: "evt_z"},
			"the zero mark":                             {},
		} {
			older := relink.StoredAccount{Account: fcAccount(id, relink.AccountActive), Mark: m}
			if got, err := s.PutFCAccount(ctx, older, cur.Version); !errors.Is(err, relink.ErrConflict) {
				t.Errorf("PutFCAccount with %s (%v) over %v at the current version = %+v, %v; want ErrConflict", name, m, newer.Mark, got, err)
			}
		}
		if g, err := s.FCAccount(ctx, id); err != nil || !cmp.Equal(cur, g) {
			t.Fatalf("after refused older writes the store holds %+v, %v; want %+v", g, err, cur)
		}
		if g, err := s.PutFCAccount(ctx, newer, cur.Version); err != nil || g.Version != 3 {
			t.Fatalf("the same mark again = %+v, %v; want written at version 3", g, err)
		}
		later := relink.StoredAccount{Account: fcAccount(id, relink.AccountActive), Mark: mark(10, "evt_c")}
		if g, err := s.PutFCAccount(ctx, later, 3); err != nil || g.Version != 4 || g.Mark != later.Mark {
			t.Fatalf("a greater event ID in the same second = %+v, %v; want written at version 4", g, err)
		}
	})
	t.Run("K1_Race64SameSnapshotAppliedOnce", func(t *testing.T) {
		testSnapshotRace(t, newStore(t))
	})
	t.Run("K1_RaceOlderAndNewerSnapshotNewerWins", func(t *testing.T) {
		testOlderNewerRace(t, newStore(t))
	})
	t.Run("K3_SessionResultClosesTheMatchingRequest", func(t *testing.T) {
		testSessionResult(t, newStore(t))
	})
}

// testSnapshotRace: 64 replicas apply the same snapshot (one event) of a
// new account at once; each reads "nothing stored" before any writes (the
// Barrier), so only the conditional create stops the extra writes: one is
// Newer, 63 are Duplicate, and the store holds version 1.
func testSnapshotRace(t *testing.T, s relink.Store) {
	ctx := context.Background()
	acct := fcAccount(relink.AccountID(fresh("fca")), relink.AccountInactive)
	m := mark(5, "evt_same")
	b := NewBarrier(racers)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		verdicts = map[snapshot.Verdict]int{}
		errs     = make(chan error, racers)
	)
	for range racers {
		wg.Add(1)
		r := b.Racer(s)
		go func() {
			defer wg.Done()
			defer r.Done()
			svc := relink.Service{Store: r}
			res, err := svc.ApplyAccountSnapshotAt(ctx, acct, m, t0)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			verdicts[res.Verdict]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if verdicts[snapshot.Newer] != 1 || verdicts[snapshot.Duplicate] != racers-1 {
		t.Fatalf("%d replicas applying one event: verdicts %v; want 1 newer and %d duplicate", racers, verdicts, racers-1)
	}
	if st, err := s.FCAccount(ctx, acct.ID); err != nil || st.Version != 1 || st.Mark != m {
		t.Fatalf("stored %+v, %v; want version 1 with mark %v", st, err, m)
	}
}

// gatedStore lets a test order two racers' writes: PutFCAccount first
// waits for wait (when not nil) and closes done (when not nil) after its
// first write returns.
type gatedStore struct {
	relink.Store
	wait, done chan struct{}
	once       sync.Once
}

func (g *gatedStore) PutFCAccount(ctx context.Context, s relink.StoredAccount, expect uint64) (relink.StoredAccount, error) {
	if g.wait != nil {
		select {
		case <-g.wait:
		case <-ctx.Done():
			return relink.StoredAccount{}, ctx.Err()
		}
	}
	got, err := g.Store.PutFCAccount(ctx, s, expect)
	if g.done != nil {
		g.once.Do(func() { close(g.done) })
	}
	return got, err
}

// testOlderNewerRace: two replicas deliver an older and a newer snapshot
// of one stored account at once. Both read the stored version before
// either writes (the Barrier); then one writes first, in each order. The
// newer snapshot ends stored either way: when the older writes second its
// conditional write is refused and, judged again, it is Stale.
func testOlderNewerRace(t *testing.T, s relink.Store) {
	ctx := context.Background()
	for _, newerFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("newer_writes_first=%v", newerFirst), func(t *testing.T) {
			id := relink.AccountID(fresh("fca"))
			base := relink.StoredAccount{Account: fcAccount(id, relink.AccountActive), Mark: mark(0, "evt_0")}
			if _, err := s.PutFCAccount(ctx, base, 0); err != nil {
				t.Fatal(err)
			}
			older, newer := fcAccount(id, relink.AccountInactive), fcAccount(id, relink.AccountDisconnected)
			mOld, mNew := mark(10, "evt_b"), mark(10, "evt_c") // same second: the greater event ID is newer
			b := NewBarrier(2)
			first := make(chan struct{})
			rOld, rNew := b.Racer(s), b.Racer(s)
			gOld, gNew := &gatedStore{Store: rOld}, &gatedStore{Store: rNew}
			if newerFirst {
				gNew.done, gOld.wait = first, first
			} else {
				gOld.done, gNew.wait = first, first
			}
			var wg sync.WaitGroup
			var resOld, resNew relink.AccountApplied
			var errOld, errNew error
			wg.Add(2)
			go func() {
				defer wg.Done()
				defer rOld.Done()
				resOld, errOld = (&relink.Service{Store: gOld}).ApplyAccountSnapshotAt(ctx, older, mOld, t0)
			}()
			go func() {
				defer wg.Done()
				defer rNew.Done()
				resNew, errNew = (&relink.Service{Store: gNew}).ApplyAccountSnapshotAt(ctx, newer, mNew, t0)
			}()
			wg.Wait()
			if errOld != nil || errNew != nil {
				t.Fatalf("errors: older %v, newer %v", errOld, errNew)
			}
			st, err := s.FCAccount(ctx, id)
			if err != nil || st.Mark != mNew || st.Account.Status != relink.AccountDisconnected {
				t.Fatalf("stored %+v (%v), %v; want the newer snapshot %v", st.Mark, st.Account.Status, err, mNew)
			}
			if resNew.Verdict != snapshot.Newer {
				t.Fatalf("newer snapshot's verdict %v, want newer", resNew.Verdict)
			}
			if newerFirst && resOld.Verdict != snapshot.Stale {
				t.Fatalf("older snapshot written after the newer: verdict %v, want stale", resOld.Verdict)
			}
			wantVersion := uint64(2)
			if !newerFirst {
				wantVersion = 3 // older applied, then the newer over it
			}
			if st.Version != wantVersion {
				t.Fatalf("stored version %d, want %d", st.Version, wantVersion)
			}
		})
	}
}

// testSessionResult: a financial_connections.session.updated with a
// relink_result completes the pending request its relink_options name
// (resetting the limit, K3), a redelivery is a duplicate, a failure fails
// the matching request of another account, and a session no request
// matches changes nothing.
func testSessionResult(t *testing.T, s relink.Store) {
	ctx := context.Background()
	acct := fcAccount(relink.AccountID(fresh("fca")), relink.AccountInactive)
	svc := relink.Service{Store: s}
	if _, err := svc.ApplyAccountSnapshotAt(ctx, acct, mark(0, "evt_acct"), t0); err != nil {
		t.Fatal(err)
	}
	req, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct.ID), t0)
	if err != nil {
		t.Fatal(err)
	}
	// The Dashboard request recorded no authorization: it matches any
	// authorization of its account.
	sess := relink.SessionUpdate{ID: relink.SessionID(fresh("fcsess")), Status: relink.SessionSucceeded,
		RelinkOptions: relink.RelinkOptions{Authorization: acct.Authorization, Account: acct.ID},
		RelinkResult:  relink.RelinkResult{Account: acct.ID, Authorization: acct.Authorization}}
	m := mark(60, "evt_sess_1")
	res, err := svc.ApplySessionResultAt(ctx, sess, m, t0.Add(time.Minute))
	if err != nil || res.Result != relink.SessionCompleted || res.Request != req.ID || res.Verdict != snapshot.Newer {
		t.Fatalf("ApplySessionResult = %+v, %v; want completed %s", res, err, req.ID)
	}
	if g, _ := s.Get(ctx, req.ID); g.Status != relink.RequestSucceeded || g.Relinked != acct.ID {
		t.Fatalf("request after the session: %+v", g)
	}
	// Completion reset the limit (K3): a new Dashboard request is allowed.
	if _, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct.ID), t0.Add(5*time.Minute)); err != nil {
		t.Fatalf("request after completion: %v", err)
	}
	if again, err := svc.ApplySessionResultAt(ctx, sess, m, t0.Add(6*time.Minute)); err != nil || again.Verdict != snapshot.Duplicate || again.Request != req.ID {
		t.Fatalf("redelivered session = %+v, %v; want duplicate of %s (the request made since is not its)", again, err, req.ID)
	}
	none := sess
	none.RelinkOptions = relink.RelinkOptions{Authorization: "fcauth_nobody", Account: relink.AccountID(fresh("fca"))}
	if r, err := svc.ApplySessionResultAt(ctx, none, mark(61, "evt_sess_2"), t0.Add(time.Minute)); err != nil || r.Result != relink.SessionNoMatchingRequest {
		t.Fatalf("unmatched session = %+v, %v; want no_matching_request", r, err)
	}
	// An authorization-scoped API relink (no account in relink_options)
	// fails with the session's failure reason.
	other := fcAccount(relink.AccountID(fresh("fca")), relink.AccountInactive)
	if _, err := svc.ApplyAccountSnapshotAt(ctx, other, mark(0, "evt_other"), t0); err != nil {
		t.Fatal(err)
	}
	apiReq, err := s.CreateRequest(ctx, relink.NewRequest(relink.RequestID(fresh("req")), other.ID,
		relink.Ask{Method: relink.MethodAPI, AllowOtherAccount: true, Authorization: other.Authorization}), t0)
	if err != nil {
		t.Fatal(err)
	}
	failed := relink.SessionUpdate{ID: relink.SessionID(fresh("fcsess")), Status: relink.SessionFailed,
		RelinkOptions: relink.RelinkOptions{Authorization: other.Authorization},
		RelinkResult:  relink.RelinkResult{FailureReason: relink.FailureNoAuthorization}}
	if r, err := svc.ApplySessionResultAt(ctx, failed, mark(62, "evt_sess_3"), t0.Add(time.Minute)); err != nil || r.Result != relink.SessionFailedRequest || r.Request != apiReq.ID {
		t.Fatalf("failed session = %+v, %v; want failed %s", r, err, apiReq.ID)
	}
	if g, _ := s.Get(ctx, apiReq.ID); g.Status != relink.RequestFailed || g.FailureReason != relink.FailureNoAuthorization {
		t.Fatalf("request after the failed session: %+v", g)
	}
}
