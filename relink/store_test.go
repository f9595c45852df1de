package relink_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/relink/relinktest"
	"github.com/connectkit/connectkit/roles"
)

func TestMemoryStore(t *testing.T) {
	relinktest.TestStore(t, func(*testing.T) relink.Store { return relink.NewMemoryStore() })
}

// The case the Store contract leaves unspecified, pinned for MemoryStore: when
// now goes back across a window, an older failed limited request still
// blocks, although a later one succeeded (a claim-based adapter such as
// pgstore allows it instead; see the Store documentation).
func TestMemoryStore_K3_ClockBackwardsAcrossWindow(t *testing.T) {
	ctx := context.Background()
	s := relink.NewMemoryStore()
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
	_, err = s.CreateRequest(ctx, relink.NewRequest("req_c", "acct_1", ask), t0.Add(time.Hour))
	var rl *relink.RateLimitedError
	if !errors.As(err, &rl) || !rl.NextPossibleAt.Equal(t0.Add(relink.Window)) {
		t.Fatalf("CreateRequest at T+1h = %v, want *RateLimitedError until T+48h", err)
	}
}
