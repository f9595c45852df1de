package relink_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/relink"
)

// TestService_K3_RefusalAllocatesNothing pins the hot refusal path: a
// relink asked again within 48 hours, through Service and the in-memory
// store, is refused by the limit without allocating (issue 17), for the
// email-delivered hosted ask and for a Dashboard user.
func TestService_K3_RefusalAllocatesNothing(t *testing.T) {
	ctx := context.Background()
	for name, ask := range map[string]relink.Ask{"hosted_email": emailAsk, "dashboard": dashboardAsk} {
		t.Run(name, func(t *testing.T) {
			s, _ := newService(t0)
			acct := inactive()
			if _, _, err := s.RequestAt(ctx, acct, ask, t0); err != nil {
				t.Fatal(err)
			}
			var err error
			allocs := testing.AllocsPerRun(100, func() {
				_, _, err = s.RequestAt(ctx, acct, ask, t1)
				if !errors.Is(err, relink.ErrRateLimited) || !errors.Is(err, relink.ErrNotEligible) {
					t.Fatalf("not refused by the limit: %v", err)
				}
			})
			if allocs != 0 {
				t.Errorf("refusal by the limit: %v allocs per request, want 0", allocs)
			}
			var de *relink.DecisionError
			if !errors.As(err, &de) || !de.Decision.NextPossibleAt.Equal(t0.Add(relink.Window)) {
				t.Errorf("refusal: %v, want a *DecisionError with NextPossibleAt 48 hours on", err)
			}
		})
	}
}

// TestService_K3_RefusalOfAccountsMadeAnewAllocatesNothing: an account
// value made anew for every ask (parsed again, say) is not the value the
// store remembers, so it is decided again; the refusal is the same, so it
// shares the remembered error and still allocates nothing (issue 17).
func TestService_K3_RefusalOfAccountsMadeAnewAllocatesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t0)
	if _, _, err := s.RequestAt(ctx, inactive(), emailAsk, t0); err != nil {
		t.Fatal(err)
	}
	anew := func() relink.Account {
		a := inactive()
		a.ID = relink.AccountID(strings.Clone(string(a.ID)))
		a.Holder.Email = strings.Clone(a.Holder.Email)
		a.Permissions = slices.Clone(a.Permissions)
		return a
	}
	accts := []relink.Account{anew(), anew(), anew()}
	i := 0
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := s.RequestAt(ctx, accts[i%len(accts)], emailAsk, t1); !errors.Is(err, relink.ErrRateLimited) {
			t.Fatalf("not refused by the limit: %v", err)
		}
		i++
	})
	if allocs != 0 {
		t.Errorf("refusal of accounts made anew: %v allocs per request, want 0", allocs)
	}
}
