// Package policytest is an end-to-end example of a platform testing its own
// policy, built on connectkit's decisions, with connectkit's property-testing
// kit (the generators in rolestest, requirementstest, accounttest, linkstest
// and relinktest).
//
// The platform's rule is MayEmailRemediationLink: "we never email a
// remediation link to an account without a verified email". It combines a
// connectkit decision (may this user generate a remediation link for this
// account at all? rules L6–L8) with data only the platform has (has it
// verified the account holder's email address?).
//
// policytest_test.go states the rule as a property and checks it with
// rapid.Check over generated users and accounts. broken_test.go runs the same
// property against a deliberately broken version of the rule and asserts
// that rapid finds the violation and shrinks it to a small, readable
// counterexample.
package policytest

import (
	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/roles"
)

// Recipient is an account as the platform's mailer sees it: connectkit's
// account and the platform's own record of whether the account holder's
// email address is verified. The zero Recipient has no account and is
// never emailed.
type Recipient struct {
	Account account.Account
	// EmailVerified records that the platform verified Account.Email, for
	// example by a confirmation link. connectkit does not track it.
	EmailVerified bool
}

// MayEmailRemediationLink reports whether the platform's mailer may email
// a remediation link to r on behalf of user u: connectkit must allow u to
// generate the link for r's account under the published roles policy (L6–L8,
// A6), the account must have an email address, and the platform must have
// verified it. It is pure and safe for concurrent use.
func MayEmailRemediationLink(u roles.User, r Recipient) bool {
	if !links.CanGenerateRemediationLink(roles.Default(), u.Roles, r.Account).Allowed {
		return false
	}
	return r.Account.Email.Address() != "" && r.EmailVerified
}
