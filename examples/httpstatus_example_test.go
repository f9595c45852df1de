package examples_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
	"github.com/connectkit/connectkit/snapshot"
)

// httpStatus is an HTTP layer's whole error mapping: it branches on
// errkind.Of alone, whichever package the error came from.
func httpStatus(err error) int {
	switch errkind.Of(err) {
	case errkind.None:
		return 200
	case errkind.InvalidInput:
		return 400
	case errkind.Denied:
		return 403
	case errkind.NotFound:
		return 404
	case errkind.Exists, errkind.Conflict, errkind.AlreadyUsed:
		return 409
	case errkind.NotEligible:
		return 422
	case errkind.RateLimited:
		return 429 // with Retry-After from the decision's DelayFrom(now)
	default: // errkind.OutcomeUnknown: a storage or network fault; no Retry-After:
		return 503 // the write may have happened, so re-read before retrying
	}
}

// Example_httpStatus maps errors from account, links, relink, requirements,
// roles and snapshot, and a foreign driver error, to HTTP statuses with
// errkind.Of only: no package's sentinels are imported for it.
func Example_httpStatus() {
	ctx := context.Background()
	clk := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	accounts := &account.Service{Store: account.NewMemoryStore(), Clock: clk}
	linkSvc := &links.Service{Store: links.NewMemoryStore(), Accounts: accounts.Store, Clock: clk}
	relinks := &relink.Service{Store: relink.NewMemoryStore(), Clock: clk}

	acct, err := accounts.Store.Create(ctx, account.NewCustom("acct_1", "US"))
	report := func(what string, err error) { fmt.Printf("%d %-15s %s\n", httpStatus(err), errkind.Of(err), what) }
	report("account created", err)
	_, err = accounts.Store.Get(ctx, "acct_missing")
	report("account: unknown ID", err)
	_, err = accounts.Store.Create(ctx, account.NewCustom("acct_1", "US"))
	report("account: created twice", err)
	acct.Email = account.NewEmail("pat@example.com")
	if _, err = accounts.Store.Update(ctx, acct, acct.Version); err != nil {
		fmt.Println(err)
		return
	}
	_, err = accounts.Store.Update(ctx, acct, acct.Version) // the version it read is stale now
	report("account: stale version", err)

	// The View Only user is refused by role (L7) and the account lacks a
	// representative (L8): the role denial wins (see errkind.Of), so a user
	// who may not act learns nothing of the account.
	viewer := roles.User{ID: "val", Roles: roles.NewSet(roles.ViewOnly)}
	_, err = linkSvc.GenerateRemediationLink(ctx, viewer, acct)
	report("links: View Only generates a remediation link (L7)", err)
	agent := roles.User{ID: "sam", Roles: roles.NewSet(roles.SupportSpecialist)}
	_, err = linkSvc.GenerateRemediationLink(ctx, agent, acct)
	report("links: account without a representative (L8)", err)
	_, err = links.ParseToken("lnk_not-a-token")
	report("links: malformed token", err)

	fca := relink.Account{ID: "fca_1", Livemode: true, Status: relink.AccountInactive,
		Holder: relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1", Email: "pat@example.com"}}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "ada", Roles: roles.NewSet(roles.Admin)}}
	_, _, err = relinks.Request(ctx, fca, ask)
	report("relink: first request", err)
	_, _, err = relinks.Request(ctx, fca, ask)
	report("relink: again within 48 hours (K3)", err)

	_, err = requirements.NewSet(requirements.Entry{Field: ""})
	report("requirements: entry without a field", err)
	_, err = roles.ParseSet("wizard")
	report("roles: unknown role", err)
	err = snapshot.Mark{Created: clk.Now()}.Validate()
	report("snapshot: a mark without an event", err)
	report("a database driver's error", errors.New("driver: connection reset"))
	// Output:
	// 200 none            account created
	// 404 not_found       account: unknown ID
	// 409 exists          account: created twice
	// 409 conflict        account: stale version
	// 403 denied          links: View Only generates a remediation link (L7)
	// 422 not_eligible    links: account without a representative (L8)
	// 400 invalid_input   links: malformed token
	// 200 none            relink: first request
	// 429 rate_limited    relink: again within 48 hours (K3)
	// 400 invalid_input   requirements: entry without a field
	// 400 invalid_input   roles: unknown role
	// 400 invalid_input   snapshot: a mark without an event
	// 503 outcome_unknown a database driver's error
}
