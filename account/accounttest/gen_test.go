package accounttest_test

import (
	"fmt"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/counterexample"
	"github.com/connectkit/connectkit/requirements/requirementstest"
	"github.com/connectkit/connectkit/roles"
	"pgregory.net/rapid"
)

// genDraws bounds the coverage tests: every value must appear among the
// examples of the first genDraws seeds (deterministic, so no flakes).
const genDraws = 300

func TestAccount_Valid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := accounttest.DrawAccount(t, "acct", accounttest.AccountOptions{})
		if err := a.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		// The decisions take it without calling it malformed.
		if d := account.CanCreate(roles.Default(), roles.NewSet(roles.Admin), accounttest.SamplePlatform(), a); d.Reasons.Has(account.ReasonInvalidAccount) && !a.Removed {
			t.Fatalf("CanCreate calls a generated account invalid: %v", d)
		}
	})
}

func TestPlatform_Valid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := accounttest.DrawPlatform(t, "platform", accounttest.PlatformOptions{})
		if err := p.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
	})
}

func TestAccount_CoversEveryConfiguration(t *testing.T) {
	dashboards := map[account.DashboardAccess]bool{}
	collectors := map[account.Party]bool{}
	liabilities := map[account.Party]bool{}
	seen := map[string]bool{}
	g := accounttest.Account(accounttest.AccountOptions{})
	for i := 0; i < genDraws; i++ {
		a := g.Example(i)
		dashboards[a.Dashboard], collectors[a.RequirementCollection], liabilities[a.NegativeBalanceLiability] = true, true, true
		mark := func(name string, b bool) { seen[fmt.Sprintf("%s=%v", name, b)] = true }
		mark("removed", a.Removed)
		mark("onboarding", a.Components.Onboarding)
		mark("banner", a.Components.NotificationBanner)
		mark("name", a.Representative.FullName() != "")
		mark("dob", !a.Representative.DOB().IsZero())
		mark("payout", a.HasExternalAccount)
		mark("owner_confirmed", a.OwnerConfirmed)
		mark("email", a.Email.Address() != "")
		mark("on_hold", account.InactivityHold(a, requirementstest.DefaultNow()).OnHold)
		mark("complete", a.Requirements.Complete())
	}
	if len(dashboards) != 3 || len(collectors) != 2 || len(liabilities) != 2 {
		t.Errorf("dashboards %v, collectors %v, liabilities %v", dashboards, collectors, liabilities)
	}
	for _, name := range []string{"removed", "onboarding", "banner", "name", "dob", "payout", "owner_confirmed", "email", "on_hold", "complete"} {
		for _, b := range []bool{false, true} {
			if k := fmt.Sprintf("%s=%v", name, b); !seen[k] {
				t.Errorf("never drew %s in %d draws", k, genDraws)
			}
		}
	}
}

func TestAccount_BiasesHold(t *testing.T) {
	now := requirementstest.DefaultNow()
	cases := []struct {
		name string
		opts accounttest.AccountOptions
		ok   func(account.Account) bool
	}{
		{"custom", accounttest.AccountOptions{Legacy: accounttest.Custom}, func(a account.Account) bool {
			return a.Dashboard == account.DashboardNone && a.RequirementCollection == account.PartyApplication &&
				a.NegativeBalanceLiability == account.PartyApplication
		}},
		{"express", accounttest.AccountOptions{Legacy: accounttest.Express}, func(a account.Account) bool { return a.Dashboard == account.DashboardExpress }},
		{"standard", accounttest.AccountOptions{Legacy: accounttest.Standard}, func(a account.Account) bool { return a.Dashboard == account.DashboardFull }},
		{"representative complete", accounttest.AccountOptions{RepresentativeComplete: accounttest.Always}, func(a account.Account) bool {
			return a.Representative.FullName() != "" && a.Representative.DOB().Valid()
		}},
		{"representative incomplete", accounttest.AccountOptions{RepresentativeComplete: accounttest.Never}, func(a account.Account) bool {
			return a.Representative.FullName() == "" || !a.Representative.DOB().Valid()
		}},
		{"removed", accounttest.AccountOptions{Removed: accounttest.Always}, func(a account.Account) bool { return a.Removed }},
		{"not removed", accounttest.AccountOptions{Removed: accounttest.Never}, func(a account.Account) bool { return !a.Removed }},
		{"payout account", accounttest.AccountOptions{ExternalAccount: accounttest.Always}, func(a account.Account) bool { return a.HasExternalAccount }},
		{"no email", accounttest.AccountOptions{Email: accounttest.Never}, func(a account.Account) bool { return a.Email.Address() == "" }},
		{"inactive", accounttest.AccountOptions{Inactive: accounttest.Always}, func(a account.Account) bool { return account.InactivityHold(a, now).OnHold }},
		{"active", accounttest.AccountOptions{Inactive: accounttest.Never}, func(a account.Account) bool { return !account.InactivityHold(a, now).OnHold }},
		{"french, incomplete", accounttest.AccountOptions{Country: "FR", Requirements: requirementstest.SetOptions{Complete: requirementstest.Never}},
			func(a account.Account) bool { return a.Country == "FR" && !a.Requirements.Complete() }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := accounttest.Account(c.opts)
			for i := 0; i < 50; i++ {
				a := g.Example(i)
				if err := a.Validate(); err != nil {
					t.Fatalf("example %d: Validate: %v", i, err)
				}
				if !c.ok(a) {
					t.Fatalf("example %d does not satisfy the bias: %+v", i, a)
				}
			}
		})
	}
}

func TestAccount_ContradictoryOptionsPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Legacy Custom with a full dashboard did not panic")
		}
	}()
	accounttest.Account(accounttest.AccountOptions{Legacy: accounttest.Custom, Dashboard: account.DashboardFull})
}

// A deliberately false property — "an Administrator may remove every
// account that is not removed yet" — is falsified, and rapid shrinks the
// counterexample to the smallest account that breaks it: the first ID and
// country, an Express dashboard (A6 needs full), no requirements.
func TestAccount_ShrinksToAReadableCounterexample(t *testing.T) {
	t.Chdir(t.TempDir()) // rapid writes its fail file under ./testdata
	var last account.Account
	rec := counterexample.Find(t.Name(), func(t *rapid.T) {
		a := accounttest.DrawAccount(t, "acct", accounttest.AccountOptions{Removed: accounttest.Never})
		last = a
		if d := account.CanRemove(roles.Default(), roles.NewSet(roles.Admin), a); !d.Allowed {
			t.Fatalf("cannot remove %v: %v", a, d)
		}
	})
	t.Log(rec)
	if !rec.Found {
		t.Fatal("rapid did not falsify the property")
	}
	if last.ID != "acct_0" || last.Country != accounttest.Countries()[0] || last.Dashboard != account.DashboardExpress ||
		last.Requirements.Len() != 0 || len(last.Capabilities) != 0 || last.Balance != nil || last.Email.Address() != "" {
		t.Errorf("not shrunk to the minimal account: %+v", last)
	}
	for _, want := range []string{`draw acct.dashboard: "express"`, `draw acct.id: 0`} {
		if !rec.Contains(want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

func ExampleAccount() {
	// Custom accounts whose representative is missing a piece (L8).
	g := accounttest.Account(accounttest.AccountOptions{
		Legacy:                 accounttest.Custom,
		RepresentativeComplete: accounttest.Never,
		Removed:                accounttest.Never,
	})
	a := g.Example(5)
	fmt.Println(a.Dashboard, a.RequirementCollection, a.Validate() == nil,
		a.Representative.FullName() == "" || a.Representative.DOB().IsZero())
	// Output: none application true true
}
