package policytest

import (
	"testing"

	"github.com/connectkit/connectkit/links/linkstest"
	"pgregory.net/rapid"
)

// The property the README shows, line for line (the root package's
// TestREADME_GoSnippetsAreCompiled checks that it stays so).

// "We never email a remediation link to an account without a verified email."
func TestMayEmailRemediationLink(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := linkstest.DrawRemediationRequest(t, "req", linkstest.RemediationOptions{Allowed: linkstest.Always})
		r := Recipient{Account: in.Account, EmailVerified: rapid.Bool().Draw(t, "email_verified")}
		if MayEmailRemediationLink(in.User, r) && (r.Account.Email.Address() == "" || !r.EmailVerified) {
			t.Fatalf("emailed %v, whose email is not verified", r.Account)
		}
	})
}
