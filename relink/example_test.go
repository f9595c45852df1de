package relink_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// A Dashboard user asks one customer to relink an inactive account; a
// second request within 48 hours is refused until the customer completes
// the first.
func Example() {
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	clk := clocktest.New(start)
	svc := &relink.Service{
		Store: relink.NewMemoryStore(),
		Clock: clk,
		// A deterministic source of request IDs, for the example only.
		Rand: strings.NewReader("example-request-one-of-two\x00\x00\x00\x00\x00\x00two-of-two"),
	}
	acct, err := relink.ParseAccount([]byte(`{
	  "id": "fca_123", "livemode": true, "status": "inactive",
	  "status_details": {"inactive": {"action": "relink_required", "cause": "access_expired"}},
	  "account_holder": {"type": "customer", "customer": "cus_9", "email": "jenny@example.com"},
	  "permissions": ["payment_method"], "account_numbers": []
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_jane", Roles: roles.NewSet(roles.Admin)}}

	req, d, _ := svc.Request(ctx, acct, ask)
	fmt.Println(d)
	fmt.Println(req.ID, req.Status, "asked by", req.CreatedBy)

	clk.Advance(24 * time.Hour)
	_, d, err = svc.Request(ctx, acct, ask)
	fmt.Println(errors.Is(err, relink.ErrRateLimited), errkind.Of(err), d.Reasons, d.NextPossibleAt.Format(time.RFC3339))
	fmt.Println("Retry-After:", d.DelayFrom(clk.Now()))

	done, _ := svc.Complete(ctx, req.ID, acct.ID)
	fmt.Println(done.Status, "at", done.ClosedAt.Format(time.RFC3339))
	_, d, _ = svc.Request(ctx, acct, ask)
	fmt.Println("after completion:", d.Allowed)
	// Output:
	// hosted_dashboard relink of fca_123 is allowed
	// relreq_6578616d706c652d726571756573742d pending asked by user_jane
	// true rate_limited rate_limited 2026-03-03T09:00:00Z
	// Retry-After: 24h0m0s
	// succeeded at 2026-03-02T09:00:00Z
	// after completion: true
}

// A relink campaign over several accounts: which may be emailed now, which
// later and when, and which never and why.
func ExamplePlanCampaign() {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	holder := relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1", Email: "jenny@example.com"}
	tan := func(expiry time.Time) []relink.AccountNumber {
		return []relink.AccountNumber{{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberTransactable, ExpectedExpiry: relink.TimestampOf(expiry)}}
	}
	targets := []relink.Target{
		{Account: relink.Account{ID: "fca_inactive", Livemode: true, Status: relink.AccountInactive, Holder: holder}},
		{Account: relink.Account{ID: "fca_tan_soon", Livemode: true, Status: relink.AccountActive, Holder: holder, AccountNumbers: tan(now.AddDate(0, 0, 12))}},
		{Account: relink.Account{ID: "fca_tan_later", Livemode: true, Status: relink.AccountActive, Holder: holder, AccountNumbers: tan(now.AddDate(0, 0, 45))}},
		{Account: relink.Account{ID: "fca_asked", Livemode: true, Status: relink.AccountInactive, Holder: holder},
			Limit: relink.Limit{Until: now.Add(20 * time.Hour)}},
		{Account: relink.Account{ID: "fca_gone", Livemode: true, Status: relink.AccountDisconnected, Holder: holder}},
		{Account: relink.Account{ID: "fca_no_email", Livemode: true, Status: relink.AccountInactive, Holder: relink.Holder{Type: relink.HolderAccount, Account: "acct_1"}}},
	}
	ask := relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail}
	c := relink.PlanCampaign(roles.Default(), ask, slices.Values(targets), nil, now)
	for _, d := range c.Eligible {
		fmt.Println("now:  ", d.Account)
	}
	for _, d := range c.Later {
		fmt.Println("later:", d.Account, d.NextPossibleAt.Format(time.DateTime), d.Reasons)
	}
	for _, d := range c.Never {
		fmt.Println("never:", d.Account, d.Reasons)
	}
	// Output:
	// now:   fca_inactive
	// now:   fca_tan_soon
	// later: fca_asked 2026-03-02 05:00:00 rate_limited
	// later: fca_tan_later 2026-03-16 09:00:00 not_inactive_or_expiring
	// never: fca_gone disconnected,not_inactive_or_expiring
	// never: fca_no_email holder_email_missing
}

// CanRequest explains every reason a relink is refused.
func ExampleCanRequest() {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	acct := relink.Account{ID: "fca_7", Livemode: false, Status: relink.AccountActive,
		Holder: relink.Holder{Type: relink.HolderCustomer, Email: "someone@example.com"}}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_viewonly", Roles: roles.NewSet(roles.ViewOnly)}}
	d := relink.CanRequest(roles.Default(), ask, acct, relink.Limit{}, []string{"dev@platform.example"}, now)
	for r := range d.Reasons.All() {
		fmt.Println(r.Rule(), r.Code())
	}
	fmt.Println(errors.Is(d.Err(), roles.ErrDenied))
	// Output:
	// K2 not_inactive_or_expiring
	// K6 sandbox_email_unconfirmed
	// K3 role_not_permitted
	// true
}
