package examples_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// Example_relinkCampaign runs a Financial Connections relink campaign from
// the Dashboard. Every account is sorted into now, later (and when) or
// never (and why) by eligibility (K2) and the 48-hour limit (K3), and the
// eligible ones are asked. A customer who completes the request, relinking
// exactly the same account (K4), resets the limit; the others stay limited.
func Example_relinkCampaign() {
	ctx := context.Background()
	clk := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	svc := &relink.Service{Store: relink.NewMemoryStore(), Clock: clk}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "jane", Roles: roles.NewSet(roles.Admin)}}

	holder := relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1", Email: "jenny@example.com"}
	tan := func(days int) []relink.AccountNumber { // a tokenized account number expiring in days
		return []relink.AccountNumber{{IdentifierType: relink.IdentifierTokenizedNumber,
			Status: relink.NumberTransactable, ExpectedExpiry: relink.TimestampOf(clk.Now().AddDate(0, 0, days))}}
	}
	fleet := map[relink.AccountID]relink.Account{
		"fca_bakery":  {ID: "fca_bakery", Livemode: true, Status: relink.AccountInactive, Holder: holder},
		"fca_florist": {ID: "fca_florist", Livemode: true, Status: relink.AccountActive, Holder: holder, AccountNumbers: tan(10)},
		"fca_plumber": {ID: "fca_plumber", Livemode: true, Status: relink.AccountActive, Holder: holder, AccountNumbers: tan(40)},
		"fca_cafe":    {ID: "fca_cafe", Livemode: true, Status: relink.AccountDisconnected, Holder: holder},
		"fca_roofer":  {ID: "fca_roofer", Livemode: true, Status: relink.AccountInactive, Holder: relink.Holder{Type: relink.HolderCustomer}},
	}
	order := []relink.AccountID{"fca_bakery", "fca_florist", "fca_plumber", "fca_cafe", "fca_roofer"}

	// One run of the campaign: read each account's limit from its stored
	// requests, decide them all at once, then ask the eligible ones.
	requests := map[relink.AccountID]relink.RequestID{}
	run := func() error {
		fmt.Println("run at", clk.Now().Format(time.DateTime))
		targets := make([]relink.Target, 0, len(order))
		for _, id := range order {
			reqs, err := svc.Store.ListByAccount(ctx, id)
			if err != nil {
				return err
			}
			targets = append(targets, relink.Target{Account: fleet[id], Limit: relink.LimitOf(reqs)})
		}
		c := relink.PlanCampaignSlice(roles.Default(), ask, targets, svc.ConfirmedEmails, clk.Now())
		for _, d := range c.Eligible {
			// Request decides again and writes conditionally: if another
			// replica asked in the meantime, this one is refused, so the
			// customer still gets one email per 48 hours.
			req, _, err := svc.Request(ctx, fleet[d.Account], ask)
			if errors.Is(err, relink.ErrRateLimited) {
				fmt.Println("  already asked elsewhere:", d.Account)
				continue
			} else if err != nil {
				return err
			}
			requests[d.Account] = req.ID
			fmt.Println("  now:  ", d.Account, "asked by", req.CreatedBy)
		}
		for _, d := range c.Later {
			fmt.Println("  later:", d.Account, "at", d.NextPossibleAt.Format(time.DateTime), d.Reasons)
		}
		for _, d := range c.Never {
			fmt.Println("  never:", d.Account, d.Reasons)
		}
		return nil
	}
	if err := run(); err != nil {
		fmt.Println("campaign:", err)
		return
	}

	// Three hours later the bakery's customer relinks, first another bank
	// account (hosted relink needs exactly the same one, K4), then the
	// right one: that completes the request and resets the limit (K3).
	clk.Advance(3 * time.Hour)
	_, err := svc.Complete(ctx, requests["fca_bakery"], "fca_other")
	fmt.Println("relinked another account:", errors.Is(err, relink.ErrWrongAccount))
	if _, err := svc.Complete(ctx, requests["fca_bakery"], "fca_bakery"); err != nil {
		fmt.Println("complete:", err)
		return
	}

	// The next day the bakery's bank revokes access again. Its completed
	// request no longer counts, so it may be asked at once; the florist,
	// who has not answered, waits out the 48 hours.
	clk.Advance(21 * time.Hour)
	if err := run(); err != nil {
		fmt.Println("campaign:", err)
		return
	}
	// Output:
	// run at 2026-03-02 09:00:00
	//   now:   fca_bakery asked by jane
	//   now:   fca_florist asked by jane
	//   later: fca_plumber at 2026-03-12 09:00:00 not_inactive_or_expiring
	//   never: fca_cafe disconnected,not_inactive_or_expiring
	//   never: fca_roofer holder_email_missing
	// relinked another account: true
	// run at 2026-03-03 09:00:00
	//   now:   fca_bakery asked by jane
	//   later: fca_florist at 2026-03-04 09:00:00 rate_limited
	//   later: fca_plumber at 2026-03-12 09:00:00 not_inactive_or_expiring
	//   never: fca_cafe disconnected,not_inactive_or_expiring
	//   never: fca_roofer holder_email_missing
}
