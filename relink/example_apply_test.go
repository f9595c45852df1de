package relink_test

import (
	"context"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/snapshot"
)

// A webhook handler applies financial_connections.account.* events as they
// come — here the newer one first, then a late, older one — and acts on
// the report: the account became eligible for relink, and by when.
func ExampleService_ApplyAccountSnapshot() {
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	svc := &relink.Service{Store: relink.NewMemoryStore(), Clock: clocktest.New(at)}

	flagged, _ := relink.ParseAccount([]byte(`{"id": "fca_1", "object": "financial_connections.account",
		"status": "active", "livemode": true,
		"status_details": {"active": {"action": "relink_required", "cause": "access_expired",
			"expected_deactivation_date": 1774944000}},
		"account_holder": {"type": "customer", "customer": "cus_1"}}`))
	plain := flagged.Clone()
	plain.Active = relink.ActiveDetails{}

	for _, ev := range []struct {
		acct relink.Account
		mark snapshot.Mark
	}{
		{flagged, snapshot.Mark{Created: at.Add(-time.Minute), EventID: "evt_2"}},
		{plain, snapshot.Mark{Created: at.Add(-time.Hour), EventID: "evt_1"}}, // delivered late
	} {
		r, err := svc.ApplyAccountSnapshot(ctx, ev.acct, ev.mark)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ev.mark.EventID, r.Verdict, "eligible:", r.EligibleAfter, "newly:", r.NewlyEligible(), "deadline:", r.Deadline.Format(time.DateOnly))
	}
	// Output:
	// evt_2 newer eligible: true newly: true deadline: 2026-03-31
	// evt_1 stale eligible: true newly: false deadline: 2026-03-31
}
