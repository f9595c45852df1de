package policytest_test

import (
	"fmt"
	"testing"

	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/examples/policytest"
	"github.com/connectkit/connectkit/links/linkstest"
	"github.com/connectkit/connectkit/roles"
	"pgregory.net/rapid"
)

// neverUnverified is the platform's policy as a property of a rule: whatever
// the user and the account, a rule that says "email it" must only say so
// when connectkit allows the link and the email is verified.
//
// Half the cases are biased to requests connectkit allows (Allowed:
// Always), where the interesting decisions are; without the bias almost
// every generated request would be refused by L6–L8 and the rule would
// seldom be exercised. The bias builds such requests directly: no filter,
// so rapid never gives up.
func neverUnverified(rule func(roles.User, policytest.Recipient) bool) func(*rapid.T) {
	return func(t *rapid.T) {
		opts := linkstest.RemediationOptions{}
		if rapid.Bool().Draw(t, "connectkit_allows") {
			opts.Allowed = linkstest.Always
		}
		in := linkstest.DrawRemediationRequest(t, "req", opts)
		r := policytest.Recipient{Account: in.Account, EmailVerified: rapid.Bool().Draw(t, "email_verified")}
		if !rule(in.User, r) {
			return
		}
		if d := in.Check(); !d.Allowed {
			t.Fatalf("emailed a link connectkit refuses: %v", d)
		}
		if r.Account.Email.Address() == "" || !r.EmailVerified {
			t.Fatalf("emailed %v, whose email is not verified", r.Account)
		}
	}
}

func TestMayEmailRemediationLink_NeverToAnUnverifiedEmail(t *testing.T) {
	rapid.Check(t, neverUnverified(policytest.MayEmailRemediationLink))
}

// The rule is not vacuous: every account connectkit allows a link for and
// whose email is verified may be emailed.
func TestMayEmailRemediationLink_EmailsEveryoneItMay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := linkstest.DrawRemediationRequest(t, "req", linkstest.RemediationOptions{
			Allowed: linkstest.Always,
			Account: accounttest.AccountOptions{Email: accounttest.Always},
		})
		if !policytest.MayEmailRemediationLink(in.User, policytest.Recipient{Account: in.Account, EmailVerified: true}) {
			t.Fatalf("refused %v for %v, though connectkit allows it and the email is verified", in.Account, in.User.Roles)
		}
	})
}

func ExampleMayEmailRemediationLink() {
	acct := accounttest.Sample("acct_1") // complete representative, payout account, email
	acct.OwnerConfirmed = true
	analyst := roles.User{ID: "usr_1", Roles: roles.NewSet(roles.ConnectOnboardingAnalyst)}

	fmt.Println(policytest.MayEmailRemediationLink(analyst, policytest.Recipient{Account: acct, EmailVerified: true}))
	fmt.Println(policytest.MayEmailRemediationLink(analyst, policytest.Recipient{Account: acct, EmailVerified: false}))
	// Output:
	// true
	// false
}
