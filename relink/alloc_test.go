package relink_test

import (
	"context"
	"errors"
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
