package pgstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/relink/relinktest"
	"github.com/connectkit/connectkit/roles"
)

func TestRelinkStore_Conformance(t *testing.T) {
	relinktest.TestStore(t, func(t *testing.T) relink.Store {
		return pgstore.NewRelinkStore(newDB(t))
	})
}

// The case relink.Store leaves unspecified, pinned for this adapter: when
// now goes back across a window, only the account's latest limited request
// (its claim) counts, and a success released it, so the request is allowed
// (relink.MemoryStore refuses it; see the relink.Store documentation).
func TestRelinkStore_K3_ClockBackwardsAcrossWindow(t *testing.T) {
	ctx := context.Background()
	s := pgstore.NewRelinkStore(newDB(t))
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}, Purpose: relink.PurposeRefreshTAN}
	a, err := s.CreateRequest(ctx, relink.NewRequest("req_a", "acct_1", ask), t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Close(ctx, a.ID, relink.Result{Status: relink.RequestFailed}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateRequest(ctx, relink.NewRequest("req_b", "acct_1", ask), t0.Add(relink.Window))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Close(ctx, b.ID, relink.Result{Status: relink.RequestSucceeded}, t0.Add(relink.Window+time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateRequest(ctx, relink.NewRequest("req_c", "acct_1", ask), t0.Add(time.Hour)); err != nil {
		t.Fatalf("CreateRequest at T+1h = %v, want it allowed (the claim was released)", err)
	}
}

// A request the 48-hour limit refuses (K3) is answered from the limit row
// as read, in the one round trip: the statement locks no row, so the
// refusal writes nothing and its commit has nothing to flush. A row lock
// would set the limit row's xmax (ON CONFLICT DO UPDATE locks the row it
// conflicts with even when its WHERE clause then refuses the update).
func TestRelinkStore_K3_RefusalLocksNoRow(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	s := pgstore.NewRelinkStore(db)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}, Purpose: relink.PurposeRefreshTAN}
	if _, err := s.CreateRequest(ctx, relink.NewRequest("req_a", "acct_1", ask), t0); err != nil {
		t.Fatal(err)
	}
	xmax := func() string {
		var x string
		if err := db.QueryRow(ctx, `SELECT xmax::text FROM relink_limits WHERE account = 'acct_1'`).Scan(&x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	before := xmax()
	_, err := s.CreateRequest(ctx, relink.NewRequest("req_b", "acct_1", ask), t0.Add(time.Hour))
	var rl *relink.RateLimitedError
	if !errors.As(err, &rl) || !rl.NextPossibleAt.Equal(t0.Add(relink.Window)) {
		t.Fatalf("CreateRequest within the window = %v, want a RateLimitedError until %v", err, t0.Add(relink.Window))
	}
	if after := xmax(); after != before {
		t.Errorf("the refusal locked the limit row: xmax %s, then %s", before, after)
	}
}
