package links_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/requirements"
)

// exampleAccount is a Custom-style connected account with everything a
// remediation link needs (L8).
func exampleAccount(id account.ID) account.Account {
	return account.Account{
		ID: id, Country: "US",
		Dashboard:                account.DashboardNone,
		RequirementCollection:    account.PartyApplication,
		NegativeBalanceLiability: account.PartyApplication,
		Representative:           account.NewRepresentative("Jenny Rosen", account.Date{Year: 1990, Month: time.January, Day: 2}, ""),
		HasExternalAccount:       true,
		OwnerConfirmed:           true,
	}
}

// exampleAccounts is the examples' AccountSource: every account is as
// exampleAccount makes it, not removed. In production, pass the
// account.Store, so that a removed account's links stop working (A6).
var exampleAccounts = links.AccountsFunc(func(_ context.Context, id account.ID) (account.Account, error) {
	return exampleAccount(id), nil
})

// The onboarding flow: create an account link, redeem it once, see a second
// visit (a chat client's preview, the back button) sent to the refresh URL,
// refresh, and come back to the return URL — where only the requirements
// say whether onboarding is complete (Q9).
func Example_onboarding() {
	ctx := context.Background()
	clk := clocktest.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	reqs, _ := requirements.NewSet(
		requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "individual.id_number", Status: requirements.EventuallyDue},
	)
	svc := &links.Service{
		Store:    links.NewMemoryStore(),
		Accounts: exampleAccounts, // in production, the account.Store
		Clock:    clk,
		Rand:     seeded(42), // deterministic for the example; leave nil in production
		Requirements: links.RequirementsFunc(func(context.Context, account.ID) (requirements.Set, error) {
			return reqs, nil
		}),
	}
	acct := exampleAccount("acct_1")

	// A live-mode link with an http refresh URL is refused, with the reason.
	_, err := svc.CreateAccountLink(ctx, owner, acct, links.AccountLinkParams{
		Type: links.TypeOnboarding, RefreshURL: "http://platform.example/refresh",
		ReturnURL: "https://platform.example/return", Live: true,
	})
	fmt.Println("refused:", err)

	issued, _ := svc.CreateAccountLink(ctx, owner, acct, links.AccountLinkParams{
		Type: links.TypeOnboarding, RefreshURL: "https://platform.example/refresh",
		ReturnURL:  "https://platform.example/return",
		Collection: requirements.Collection{Fields: requirements.CollectEventuallyDue},
		Live:       true,
	})
	fmt.Println("expires after:", issued.Link.ExpiresAt.Sub(issued.Link.Created))
	fmt.Println("printed token:", issued.Token)

	r, _ := svc.Redeem(ctx, issued.Token)
	fmt.Println("first visit:", r.Outcome, r.Fields)
	r, _ = svc.Redeem(ctx, issued.Token)
	fmt.Println("second visit:", r.Outcome, r.Reason.Code(), strings.SplitAfter(r.RedirectURL, links.RefreshKeyPrefix)[0]+"…")

	// The refresh URL's handler makes a new link with the same parameters,
	// from the refresh key in the URL the redirect sent the user to.
	u, _ := url.Parse(r.RedirectURL)
	prev, _ := links.ParseRefreshKey(u.Query().Get(links.RefreshKeyParam))
	next, _ := svc.Refresh(ctx, prev)
	r, _ = svc.Redeem(ctx, next.Token)
	fmt.Println("refreshed link:", r.Outcome)

	clk.Advance(3 * time.Minute)
	back, _ := svc.Return(ctx, next.Token)
	fmt.Println("returned; complete:", back.Complete, "outstanding:", back.Outstanding)
	// Output:
	// refused: links: live mode accepts only an https refresh URL (L2)
	// expires after: 5m0s
	// printed token: lnk_[REDACTED]
	// first visit: proceed [individual.dob.day individual.id_number]
	// second visit: redirect link_already_used https://platform.example/refresh?refresh_key=lrf_…
	// refreshed link: proceed
	// returned; complete: false outstanding: [individual.dob.day individual.id_number]
}

// The remediation flow with a lockout: after the fourth wrong-information
// failure a reset needs a security-check acknowledgement, which allows four
// more resets (L10).
func Example_remediationLockout() {
	ctx := context.Background()
	clk := clocktest.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	svc := &links.Service{Store: links.NewMemoryStore(), Accounts: exampleAccounts, Clock: clk, Rand: seeded(7)}
	acct := exampleAccount("acct_1")

	issued, _ := svc.GenerateRemediationLink(ctx, admin, acct)
	fmt.Println("active for:", issued.Link.ExpiresAt.Sub(issued.Link.Created))
	opened, _ := svc.OpenRemediationLink(ctx, issued.Token)
	fmt.Println("opens:", opened.Destination.Kind)

	_, remedy, _ := svc.RecordVerificationFailure(ctx, issued.Link.ID, links.FailureNotRepresentative)
	fmt.Println(remedy)
	_, err := svc.OpenRemediationLink(ctx, issued.Token)
	fmt.Println("open while blocked:", errors.Is(err, links.ErrAwaitingReset))
	_, _ = svc.ResetRemediationLink(ctx, analyst, issued.Link.ID)

	for range 4 {
		_, remedy, _ = svc.RecordVerificationFailure(ctx, issued.Link.ID, links.FailureWrongInformation)
		_, err = svc.ResetRemediationLink(ctx, analyst, issued.Link.ID)
	}
	fmt.Println("security check:", remedy.SecurityCheck)
	fmt.Println("reset:", err)
	_, err = svc.AcknowledgeSecurityCheck(ctx, admin, issued.Link.ID)
	fmt.Println("acknowledged:", err == nil)
	l, err := svc.ResetRemediationLink(ctx, analyst, issued.Link.ID)
	fmt.Println("reset:", err == nil, "resets left:", l.ResetCredits)

	clk.Advance(links.RemediationTTL)
	_, err = svc.OpenRemediationLink(ctx, issued.Token)
	fmt.Println("after 90 days:", err)
	// Output:
	// active for: 2160h0m0s
	// opens: hosted_onboarding
	// not_representative: check that the account information is correct and complete, then update the representative's full_name, dob, ssn_last_4, then reset the link and ask the account to try again; or use an account link instead so the representative updates the information directly (L10)
	// open while blocked: true
	// security check: true
	// reset: links: wrong information was entered four times and no reset is left; acknowledge the security check before resetting (L10)
	// acknowledged: true
	// reset: true resets left: 3
	// after 90 days: links: the remediation link's 90 days are over; generate a new one (L6)
}

// A bulk export: one row per account, with the link or every reason it could
// not be generated; a bad account does not stop the export (L11).
func Example_bulkExport() {
	ctx := context.Background()
	clk := clocktest.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	svc := &links.Service{Store: links.NewMemoryStore(), Accounts: exampleAccounts, Clock: clk, Rand: seeded(9)}

	noBank := exampleAccount("acct_2")
	noBank.HasExternalAccount = false
	nobody := exampleAccount("acct_3")
	nobody.Representative = account.Representative{}
	accounts := []account.Account{exampleAccount("acct_1"), noBank, nobody, exampleAccount("acct_4")}

	sum, err := svc.ExportRemediationLinks(ctx, admin, slices.Values(accounts), func(row links.ExportRow) error {
		if row.OK() {
			fmt.Printf("%s\tlink %s, expires %s\n", row.Account, row.Link.ID, row.Link.ExpiresAt.Format(time.DateOnly))
		} else {
			fmt.Printf("%s\tnot generated: %s\n", row.Account, row.Decision.Reasons)
		}
		return nil
	})
	fmt.Printf("%+v %v\n", sum, err)

	_, err = svc.ExportRemediationLinks(ctx, viewer, slices.Values(accounts), func(links.ExportRow) error { return nil })
	fmt.Println(err)
	// Output:
	// acct_1	link rml_e871ca878697747c1bb1c137, expires 2026-05-30
	// acct_2	not generated: external_account_missing
	// acct_3	not generated: representative_name_missing,representative_dob_missing
	// acct_4	link rml_cfef30e42705c8347ce5d4a2, expires 2026-05-30
	// {Rows:4 New:2 Reused:0 Refused:2 Failed:0} <nil>
	// links: View Only may not export remediation links (L11: allowed to Administrator, Developer, Connect Onboarding Analyst, Data Migration Specialist, Support Associate, Support Specialist)
}
