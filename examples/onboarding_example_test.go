package examples_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
)

// Example_onboarding is the account-link flow of an onboarding service. It
// makes a link for a new Custom account (refused first for a plain-HTTP
// refresh URL, L2), redeems it once and learns which fields to collect (Q5),
// asks the requirements, not the return URL, whether onboarding is complete
// (Q9), sends a second visit to the refresh URL (L1), and shows the refresh
// bound stopping a refresh loop.
func Example_onboarding() {
	ctx := context.Background()
	clk := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	accounts := account.NewMemoryStore()
	svc := &links.Service{
		Store: links.NewMemoryStore(), Clock: clk,
		// Every operation reads the account, so that a removed account's
		// links stop working (A6).
		Accounts: accounts,
		// Seeded so that this output never changes; in production leave
		// Rand nil and tokens come from crypto/rand.
		Rand: rand.NewChaCha8([32]byte{'o', 'n', 'b', 'o', 'a', 'r', 'd'}),
		// At most 3 refreshes per chain per hour: a person refreshes a few
		// times an hour, a looping handler thousands of times.
		RefreshLimit: 3,
		// Redeem and Return read the account's requirements from here.
		Requirements: links.RequirementsFunc(func(ctx context.Context, id account.ID) (requirements.Set, error) {
			a, err := accounts.Get(ctx, id)
			return a.Requirements, err
		}),
	}

	// A Custom account (the platform collects) and what Stripe says it owes.
	a := account.NewCustom("acct_plumber", "US")
	reqs, err := requirements.NewSet(
		requirements.Entry{Field: "external_account", Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "individual.id_number", Status: requirements.EventuallyDue},
	)
	if err != nil {
		fmt.Println("requirements:", err)
		return
	}
	a.Requirements = reqs
	if a, err = accounts.Create(ctx, a); err != nil {
		fmt.Println("create account:", err)
		return
	}

	ada := roles.User{ID: "ada"} // who asks, for the audit trail
	params := links.AccountLinkParams{Type: links.TypeOnboarding, Live: true,
		RefreshURL: "http://platform.example/refresh", ReturnURL: "https://platform.example/return"}
	if _, err := svc.CreateAccountLink(ctx, ada, a, params); errors.Is(err, links.ErrInvalidURL) {
		fmt.Println("refused:", err)
	}
	params.RefreshURL = "https://platform.example/refresh"
	link, err := svc.CreateAccountLink(ctx, ada, a, params)
	if err != nil {
		fmt.Println("create link:", err)
		return
	}
	// The URL gets link.Token.Reveal(); the token itself never prints.
	fmt.Println("link", link.Token, "lives", link.Link.ExpiresAt.Sub(link.Link.Created))

	// The first visit consumes the link. The default options collect what
	// is currently due (Q5); CollectEventuallyDue would add id_number.
	r, err := svc.Redeem(ctx, link.Token)
	if err != nil { // a storage fault: used or expired links redirect
		fmt.Println("redeem:", err)
		return
	}
	fmt.Println("visit:", r.Outcome, r.Fields)

	// The person fills in part of the form, clicks "save for later" and
	// lands on the return URL. Coming back says nothing about completeness;
	// only the requirements do (Q9).
	clk.Advance(4 * time.Minute)
	back, err := svc.Return(ctx, link.Token)
	if err != nil {
		fmt.Println("return:", err)
		return
	}
	fmt.Println("returned; complete:", back.Complete, "outstanding:", back.Outstanding)

	// Opening the used link again (the back button, a chat client's
	// preview) sends the person to the refresh URL (L1).
	if r, err = svc.Redeem(ctx, link.Token); err != nil {
		fmt.Println("redeem:", err)
		return
	}
	fmt.Println("visit:", r.Outcome, r.Link.Params.RefreshURL, r.Reason.Code())

	// The refresh handler makes a new link with the same parameters. If
	// something consumes each new link first (a link preview), the person
	// lands on the refresh URL again and again; the chain's bound ends the
	// loop, and the handler shows a "try again later" page instead. The
	// loop has a bound of its own, far above the chain's, so that if the
	// chain's bound ever broke the example would fail, not run on.
	const maxIterations = 100
	for range maxIterations {
		next, err := svc.Refresh(ctx, link.Token)
		if err == nil {
			link = next
			fmt.Println("refresh: new link; a preview visits it first")
			_, err = svc.Redeem(ctx, link.Token)
		}
		if errors.Is(err, links.ErrRefreshLimit) {
			fmt.Println("stop:", err) // and show the "try again later" page
			return
		} else if err != nil {
			fmt.Println("refresh:", err)
			return
		}
	}
	fmt.Println("the refresh bound did not stop the loop")
	// Output:
	// refused: links: live mode accepts only an https refresh URL (L2)
	// link lnk_[REDACTED] lives 5m0s
	// visit: proceed [external_account individual.dob.day]
	// returned; complete: false outstanding: [external_account individual.dob.day]
	// visit: redirect https://platform.example/refresh link_already_used
	// refresh: new link; a preview visits it first
	// refresh: new link; a preview visits it first
	// refresh: new link; a preview visits it first
	// stop: links: the refresh chain made too many links in its window; the refresh handler may be looping (L1)
}
