package policytest_test

import (
	"testing"

	"github.com/connectkit/connectkit/counterexample"
	"github.com/connectkit/connectkit/examples/policytest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/roles"
)

// brokenMayEmail is the rule with a classic bug: it checks that the account
// has an email address but forgets that the address must be verified.
func brokenMayEmail(u roles.User, r policytest.Recipient) bool {
	if !links.CanGenerateRemediationLink(roles.Default(), u.Roles, r.Account).Allowed {
		return false
	}
	return r.Account.Email.Address() != ""
}

// The same property that passes for MayEmailRemediationLink fails for the
// broken rule: rapid finds an account with an unverified email that the
// broken rule would email, and shrinks it to the smallest such case. The
// property runs under counterexample.Find, which records instead of
// failing, so this test passes exactly when rapid catches the bug.
func TestBrokenRule_RapidFindsAndShrinksTheViolation(t *testing.T) {
	t.Chdir(t.TempDir()) // rapid writes its fail file under ./testdata

	// Record every recipient the property sees: rapid replays the minimal
	// failing case last, so the last one is the shrunk counterexample.
	var last policytest.Recipient
	var lastUser roles.User
	rule := func(u roles.User, r policytest.Recipient) bool {
		last, lastUser = r, u
		return brokenMayEmail(u, r)
	}
	rec := counterexample.Find(t.Name(), neverUnverified(rule))
	t.Logf("rapid's report on the broken rule:\n%s", rec)

	if !rec.Found {
		t.Fatal("rapid did not catch the broken rule")
	}
	// The counterexample is the bug and nothing else: an unverified email
	// on the smallest account connectkit allows a link for, asked by one
	// permitted user.
	if last.EmailVerified || last.Account.Email.Address() == "" {
		t.Errorf("counterexample is not an unverified email: verified=%v email=%q", last.EmailVerified, last.Account.Email)
	}
	if last.Account.ID != "acct_0" || last.Account.Requirements.Len() != 0 || len(last.Account.Capabilities) != 0 || lastUser.Roles.Len() != 1 {
		t.Errorf("counterexample not shrunk: account %v, %d requirements, %d capabilities, roles %v",
			last.Account, last.Account.Requirements.Len(), len(last.Account.Capabilities), lastUser.Roles)
	}
	for _, want := range []string{"draw email_verified: false", "draw req.account.email: true", "emailed"} {
		if !rec.Contains(want) {
			t.Errorf("rapid's report lacks %q", want)
		}
	}
}
