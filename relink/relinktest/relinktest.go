// Package relinktest is the conformance suite for relink.Store
// implementations. An adapter (in-memory, PostgreSQL, …) passes it by
// calling TestStore from an ordinary test:
//
//	func TestMemoryStore(t *testing.T) {
//		relinktest.TestStore(t, func(*testing.T) relink.Store { return relink.NewMemoryStore() })
//	}
//
// The package also exports rapid generators for property tests of your own
// policies: FCAccount and Ask (with Draw twins), biased by FCAccountOptions
// and AskOptions rather than filtered, and FCAccountJSON, Stripe-shaped
// payloads with members relink does not model at every level.
package relinktest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/relink"
)

// T0 is the instant the suite starts its clocks at.
func T0() time.Time { return t0 }

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

var seq atomic.Int64

// fresh returns an ID unique within the process, so that clauses sharing
// one store never collide.
func fresh(prefix string) string { return fmt.Sprintf("%s_%d", prefix, seq.Add(1)) }

func dashboard(id relink.RequestID, acct relink.AccountID) relink.Request {
	return relink.NewRequest(id, acct, relink.Ask{Method: relink.MethodHostedDashboard})
}

// TestStore runs every clause of the relink.Store contract against stores
// made by newStore, each clause in its own t.Run with its own store.
//
// The single-winner clauses (K3_Race64ServiceRequestsOneWins,
// Race64ClosesOneWins, K1_Race64SameSnapshotAppliedOnce,
// K1_RaceOlderAndNewerSnapshotNewerWins) run their racers through a Barrier, so that every
// racer has read before any writes: only the store's conditional write can
// stop the extra winners, even on two cores where goroutines mostly run
// one after another. relinktest's own tests check that each of them fails
// against a store whose conditional write is removed.
func TestStore(t *testing.T, newStore func(t *testing.T) relink.Store) {
	ctx := context.Background()
	t.Run("CreateThenGetAndList", func(t *testing.T) {
		s := newStore(t)
		acct := relink.AccountID(fresh("fca"))
		in := dashboard(relink.RequestID(fresh("req")), acct)
		in.Authorization = relink.AuthorizationID(fresh("fcauth")) // stored with the request
		in.CreatedBy = fresh("user")                               // who asked, for the audit trail
		in.Status = relink.RequestSucceeded                        // ignored by the store
		got, err := s.CreateRequest(ctx, in, t0)
		if err != nil {
			t.Fatalf("CreateRequest: %v", err)
		}
		want := in
		want.Status, want.CreatedAt = relink.RequestPending, t0
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("created (-want +got):\n%s", d)
		}
		if g, err := s.Get(ctx, in.ID); err != nil || !cmp.Equal(want, g) {
			t.Fatalf("Get = %+v, %v; want %+v", g, err, want)
		}
		list, err := s.ListByAccount(ctx, acct)
		if err != nil || !cmp.Equal([]relink.Request{want}, list) {
			t.Fatalf("ListByAccount = %+v, %v", list, err)
		}
		if list, err := s.ListByAccount(ctx, relink.AccountID(fresh("fca"))); err != nil || len(list) != 0 {
			t.Fatalf("ListByAccount(unknown) = %+v, %v; want empty", list, err)
		}
		if _, err := s.Get(ctx, relink.RequestID(fresh("req"))); !errors.Is(err, relink.ErrNotFound) {
			t.Fatalf("Get(unknown) = %v, want ErrNotFound", err)
		}
	})
	t.Run("InvalidRequestIsRefused", func(t *testing.T) {
		s := newStore(t)
		acct := relink.AccountID(fresh("fca"))
		bad := []relink.Request{
			{Account: acct, Method: relink.MethodAPI},
			{ID: relink.RequestID(fresh("req")), Method: relink.MethodAPI},
			{ID: relink.RequestID(fresh("req")), Account: acct},
			{ID: relink.RequestID(fresh("req")), Account: acct, Method: relink.MethodHostedAPI, SameAccount: true},
			{ID: relink.RequestID(fresh("req")), Account: acct, Method: relink.MethodHostedDashboard},
			{ID: relink.RequestID(fresh("req")), Account: acct, Method: relink.MethodAPI, CreatedBy: "user\x00"},
			{ID: relink.RequestID(fresh("req")), Account: acct, Method: relink.MethodAPI, CreatedBy: strings.Repeat("u", 256)},
		}
		for i, r := range bad {
			if _, err := s.CreateRequest(ctx, r, t0); !errors.Is(err, relink.ErrInvalid) {
				t.Errorf("case %d: CreateRequest(%+v) = %v, want ErrInvalid", i, r, err)
			}
		}
		if list, _ := s.ListByAccount(ctx, acct); len(list) != 0 {
			t.Fatalf("refused requests were stored: %+v", list)
		}
	})
	t.Run("DuplicateIDIsRefused", func(t *testing.T) {
		s := newStore(t)
		id := relink.RequestID(fresh("req"))
		api := relink.NewRequest(id, relink.AccountID(fresh("fca")), relink.Ask{Method: relink.MethodAPI})
		first, err := s.CreateRequest(ctx, api, t0)
		if err != nil {
			t.Fatal(err)
		}
		again := relink.NewRequest(id, relink.AccountID(fresh("fca")), relink.Ask{Method: relink.MethodAPI})
		if _, err := s.CreateRequest(ctx, again, t0.Add(time.Hour)); !errors.Is(err, relink.ErrExists) {
			t.Fatalf("second CreateRequest = %v, want ErrExists", err)
		}
		if g, _ := s.Get(ctx, id); !cmp.Equal(first, g) {
			t.Fatalf("state changed after refused create: %+v", g)
		}
	})
	t.Run("K3_Limit48HoursBoundary", func(t *testing.T) {
		s := newStore(t)
		acct := relink.AccountID(fresh("fca"))
		if _, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), t0); err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Duration{0, time.Hour, 47*time.Hour + 59*time.Minute + 59*time.Second} {
			_, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), t0.Add(at))
			var rl *relink.RateLimitedError
			if !errors.As(err, &rl) || !errors.Is(err, relink.ErrRateLimited) {
				t.Fatalf("at +%v: CreateRequest = %v, want *RateLimitedError", at, err)
			}
			if want := t0.Add(relink.Window); !rl.NextPossibleAt.Equal(want) || rl.Account != acct {
				t.Fatalf("at +%v: %+v, want next possible at %v", at, rl, want)
			}
		}
		if list, _ := s.ListByAccount(ctx, acct); len(list) != 1 {
			t.Fatalf("refused requests were stored: %d requests", len(list))
		}
		if _, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), t0.Add(48*time.Hour)); err != nil {
			t.Fatalf("at +48h: CreateRequest = %v, want created", err)
		}
	})
	t.Run("K3_CompletionResetsTheLimit", func(t *testing.T) {
		s := newStore(t)
		acct := relink.AccountID(fresh("fca"))
		r, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), t0)
		if err != nil {
			t.Fatal(err)
		}
		done, err := s.Close(ctx, r.ID, relink.Result{Status: relink.RequestSucceeded}, t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != relink.RequestSucceeded || done.Relinked != acct || !done.ClosedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("completed request = %+v", done)
		}
		if _, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), t0.Add(time.Minute)); err != nil {
			t.Fatalf("after completion: CreateRequest = %v, want created", err)
		}
	})
	t.Run("K3_FailCancelExpireDoNotReset", func(t *testing.T) {
		s := newStore(t)
		for _, st := range []relink.RequestStatus{relink.RequestFailed, relink.RequestCancelled, relink.RequestExpired} {
			acct := relink.AccountID(fresh("fca"))
			r, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), t0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Close(ctx, r.ID, relink.Result{Status: st, FailureReason: relink.FailureNoAuthorization}, t0.Add(time.Hour)); err != nil {
				t.Fatalf("close as %s: %v", st, err)
			}
			if _, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), t0.Add(2*time.Hour)); !errors.Is(err, relink.ErrRateLimited) {
				t.Fatalf("after %s: CreateRequest = %v, want ErrRateLimited", st, err)
			}
		}
	})
	t.Run("K3_UnlimitedMethodsNeitherLimitedNorCounted", func(t *testing.T) {
		s := newStore(t)
		acct := relink.AccountID(fresh("fca"))
		url := relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryURL}
		api := relink.Ask{Method: relink.MethodAPI}
		for i := range 3 {
			for _, ask := range []relink.Ask{url, api} {
				if _, err := s.CreateRequest(ctx, relink.NewRequest(relink.RequestID(fresh("req")), acct, ask), t0.Add(time.Duration(i)*time.Second)); err != nil {
					t.Fatalf("unlimited %v: %v", ask.Method, err)
				}
			}
		}
		email := relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail}
		if _, err := s.CreateRequest(ctx, relink.NewRequest(relink.RequestID(fresh("req")), acct, email), t0.Add(time.Hour)); err != nil {
			t.Fatalf("limited after unlimited ones: %v", err)
		}
		if _, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), t0.Add(2*time.Hour)); !errors.Is(err, relink.ErrRateLimited) {
			t.Fatalf("dashboard after hosted email = %v, want ErrRateLimited (one shared window)", err)
		}
		if _, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), relink.AccountID(fresh("fca"))), t0.Add(2*time.Hour)); err != nil {
			t.Fatalf("another account is not limited: %v", err)
		}
	})
	t.Run("CloseOnlyPending", func(t *testing.T) {
		s := newStore(t)
		r, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), relink.AccountID(fresh("fca"))), t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Close(ctx, relink.RequestID(fresh("req")), relink.Result{Status: relink.RequestCancelled}, t0); !errors.Is(err, relink.ErrNotFound) {
			t.Fatalf("Close(unknown) = %v, want ErrNotFound", err)
		}
		if _, err := s.Close(ctx, r.ID, relink.Result{Status: relink.RequestPending}, t0); !errors.Is(err, relink.ErrInvalid) {
			t.Fatalf("Close to pending = %v, want ErrInvalid", err)
		}
		failed, err := s.Close(ctx, r.ID, relink.Result{Status: relink.RequestFailed, FailureReason: relink.FailureNoAccount}, t0.Add(time.Second))
		if err != nil || failed.FailureReason != relink.FailureNoAccount {
			t.Fatalf("Fail = %+v, %v", failed, err)
		}
		for _, st := range []relink.RequestStatus{relink.RequestSucceeded, relink.RequestFailed, relink.RequestCancelled, relink.RequestExpired} {
			if _, err := s.Close(ctx, r.ID, relink.Result{Status: st}, t0.Add(time.Hour)); !errors.Is(err, relink.ErrNotPending) {
				t.Fatalf("second Close(%s) = %v, want ErrNotPending", st, err)
			}
		}
		if g, _ := s.Get(ctx, r.ID); !cmp.Equal(failed, g) {
			t.Fatalf("state changed after refused close (-want +got):\n%s", cmp.Diff(failed, g))
		}
	})
	t.Run("K4_SameAccountRequired", func(t *testing.T) {
		s := newStore(t)
		acct, other := relink.AccountID(fresh("fca")), relink.AccountID(fresh("fca"))
		hosted, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), t0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Close(ctx, hosted.ID, relink.Result{Status: relink.RequestSucceeded, Relinked: other}, t0)
		var wa *relink.WrongAccountError
		if !errors.As(err, &wa) || !errors.Is(err, relink.ErrWrongAccount) || wa.Want != acct || wa.Got != other {
			t.Fatalf("complete onto another account = %v, want *WrongAccountError", err)
		}
		if g, _ := s.Get(ctx, hosted.ID); !cmp.Equal(hosted, g) {
			t.Fatalf("state changed after refused completion: %+v", g)
		}
		anyAcct := relink.NewRequest(relink.RequestID(fresh("req")), acct, relink.Ask{Method: relink.MethodAPI, AllowOtherAccount: true})
		r, err := s.CreateRequest(ctx, anyAcct, t0)
		if err != nil {
			t.Fatal(err)
		}
		if done, err := s.Close(ctx, r.ID, relink.Result{Status: relink.RequestSucceeded, Relinked: other}, t0); err != nil || done.Relinked != other {
			t.Fatalf("API relink allowing another account: %+v, %v", done, err)
		}
	})
	t.Run("K4_RelinkedAccountNotInvented", func(t *testing.T) {
		// A success that does not say which account was relinked records
		// none where another account was allowed (the customer may have
		// relinked any account of the authorization), and the account
		// asked for only where exactly that one was required (K4).
		s := newStore(t)
		acct := relink.AccountID(fresh("fca"))
		anyAcct := relink.NewRequest(relink.RequestID(fresh("req")), acct, relink.Ask{Method: relink.MethodAPI, AllowOtherAccount: true})
		r, err := s.CreateRequest(ctx, anyAcct, t0)
		if err != nil {
			t.Fatal(err)
		}
		done, err := s.Close(ctx, r.ID, relink.Result{Status: relink.RequestSucceeded}, t0)
		if err != nil || done.Status != relink.RequestSucceeded || done.Relinked != "" {
			t.Fatalf("unknown relinked account, another allowed: %+v, %v; want succeeded with Relinked empty", done, err)
		}
		if g, _ := s.Get(ctx, r.ID); g.Relinked != "" {
			t.Fatalf("stored Relinked = %q, want empty", g.Relinked)
		}
		same, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), relink.AccountID(fresh("fca"))), t0)
		if err != nil {
			t.Fatal(err)
		}
		if done, err := s.Close(ctx, same.ID, relink.Result{Status: relink.RequestSucceeded}, t0); err != nil || done.Relinked != same.Account {
			t.Fatalf("unknown relinked account, same account required: %+v, %v; want Relinked %s", done, err, same.Account)
		}
	})
	t.Run("K4_MismatchedAuthorizationRefused", func(t *testing.T) {
		// relink_result.authorization must be the authorization the
		// request relinks: another one is a result for another session,
		// refused (ErrInvalid) with the request left pending.
		s := newStore(t)
		acct := relink.AccountID(fresh("fca"))
		ask := relink.Ask{Method: relink.MethodHostedDashboard, Authorization: relink.AuthorizationID(fresh("fcauth"))}
		r, err := s.CreateRequest(ctx, relink.NewRequest(relink.RequestID(fresh("req")), acct, ask), t0)
		if err != nil {
			t.Fatal(err)
		}
		wrong := relink.Result{Status: relink.RequestSucceeded, Relinked: acct, Authorization: relink.AuthorizationID(fresh("fcauth"))}
		if got, err := s.Close(ctx, r.ID, wrong, t0); !errors.Is(err, relink.ErrInvalid) {
			t.Fatalf("Close with another authorization = %+v, %v; want ErrInvalid", got, err)
		}
		if g, _ := s.Get(ctx, r.ID); !cmp.Equal(r, g) {
			t.Fatalf("state changed after refused close (-want +got):\n%s", cmp.Diff(r, g))
		}
		right := relink.Result{Status: relink.RequestSucceeded, Authorization: ask.Authorization}
		if done, err := s.Close(ctx, r.ID, right, t0); err != nil || done.Relinked != acct {
			t.Fatalf("Close with the request's authorization = %+v, %v", done, err)
		}
		// A request that recorded no authorization takes any.
		r2, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), relink.AccountID(fresh("fca"))), t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Close(ctx, r2.ID, wrong, t0); !errors.Is(err, relink.ErrWrongAccount) {
			t.Fatalf("Close onto another account = %v, want ErrWrongAccount (authorization unknown: any accepted)", err)
		}
		wrong.Relinked = r2.Account
		if _, err := s.Close(ctx, r2.ID, wrong, t0); err != nil {
			t.Fatalf("Close of a request without authorization = %v, want accepted", err)
		}
	})
	t.Run("HonoursContextCancellation", func(t *testing.T) {
		s := newStore(t)
		acct := relink.AccountID(fresh("fca"))
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.CreateRequest(cctx, dashboard(relink.RequestID(fresh("req")), acct), t0); !errors.Is(err, context.Canceled) {
			t.Fatalf("CreateRequest(cancelled) = %v, want context.Canceled", err)
		}
		if _, err := s.ListByAccount(cctx, acct); !errors.Is(err, context.Canceled) {
			t.Fatalf("ListByAccount(cancelled) = %v", err)
		}
		if _, err := s.Get(cctx, "x"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Get(cancelled) = %v", err)
		}
		if _, err := s.Close(cctx, "x", relink.Result{Status: relink.RequestCancelled}, t0); !errors.Is(err, context.Canceled) {
			t.Fatalf("Close(cancelled) = %v", err)
		}
		if list, _ := s.ListByAccount(ctx, acct); len(list) != 0 {
			t.Fatalf("cancelled create was stored: %+v", list)
		}
	})
	t.Run("ListingOrderCreatedAtThenIDBytewise", func(t *testing.T) {
		s := newStore(t)
		acct := relink.AccountID(fresh("fca"))
		p := fresh("req") + "_"
		api := relink.Ask{Method: relink.MethodAPI}
		// Inserted in this order; listed by created_at, then ID bytewise:
		// "…_1001" < "…_999" < "…_a" < "…_é" (UTF-8 bytes, not a locale).
		for _, c := range []struct {
			id string
			at time.Duration
		}{{"999", 0}, {"1001", 0}, {"é", 0}, {"a", 0}, {"0", time.Second}} {
			if _, err := s.CreateRequest(ctx, relink.NewRequest(relink.RequestID(p+c.id), acct, api), t0.Add(c.at)); err != nil {
				t.Fatal(err)
			}
		}
		list, err := s.ListByAccount(ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range list {
			got = append(got, strings.TrimPrefix(string(r.ID), p))
		}
		if d := cmp.Diff([]string{"1001", "999", "a", "é", "0"}, got); d != "" {
			t.Fatalf("ListByAccount order (-want +got):\n%s", d)
		}
	})
	t.Run("BadTextIsRefusedOrStoredFaithfully", func(t *testing.T) {
		testBadText(t, newStore(t))
	})
	t.Run("K3_Concurrent64CreateExactlyOne", func(t *testing.T) {
		testConcurrent(t, newStore(t))
	})
	t.Run("K3_Race64ServiceRequestsOneWins", func(t *testing.T) {
		testServiceRace(t, newStore(t))
	})
	t.Run("Race64ClosesOneWins", func(t *testing.T) {
		testCloseRace(t, newStore(t))
	})
	t.Run("K3_RapidModel", func(t *testing.T) {
		testModel(t, newStore(t))
	})
	testAccounts(t, newStore)
}

func testConcurrent(t *testing.T, s relink.Store) {
	const n = 64
	ctx := context.Background()
	acct := relink.AccountID(fresh("fca"))
	var (
		wg              sync.WaitGroup
		created, denied atomic.Int32
		start           = make(chan struct{})
		errs            = make(chan error, n)
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			now := t0.Add(time.Duration(i) * time.Millisecond)
			_, err := s.CreateRequest(ctx, dashboard(relink.RequestID(fresh("req")), acct), now)
			switch {
			case err == nil:
				created.Add(1)
			case errors.Is(err, relink.ErrRateLimited):
				denied.Add(1)
			default:
				errs <- err
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if created.Load() != 1 || denied.Load() != n-1 {
		t.Fatalf("%d goroutines: %d created, %d rate limited; want 1 and %d", n, created.Load(), denied.Load(), n-1)
	}
	if list, _ := s.ListByAccount(ctx, acct); len(list) != 1 {
		t.Fatalf("store holds %d requests for the account, want 1", len(list))
	}
}
