package linkstest

import (
	"fmt"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
	"github.com/connectkit/connectkit/roles/rolestest"
	"pgregory.net/rapid"
)

// Bias says whether a generated value must, must not, or may have a
// property; it is accounttest.Bias. The zero Bias is Maybe.
type Bias = accounttest.Bias

// The biases.
const (
	// Maybe leaves the property to chance.
	Maybe = accounttest.Maybe
	// Always makes every value have the property.
	Always = accounttest.Always
	// Never makes no value have it.
	Never = accounttest.Never
)

// AccountLinkInput is a generated account-link request: the arguments of
// links.CanCreateAccountLink and Service.CreateAccountLink.
type AccountLinkInput struct {
	Account account.Account
	Params  links.AccountLinkParams
}

// Check returns links.CanCreateAccountLink(in.Account, in.Params).
func (in AccountLinkInput) Check() links.Decision {
	return links.CanCreateAccountLink(in.Account, in.Params)
}

// AccountLinkOptions bias AccountLinkRequest. The zero value draws any
// well-formed request — a valid account, a known type, URLs acceptable in
// the drawn mode, known collection options — which rules L3, L4, L5 and A6
// may still refuse.
type AccountLinkOptions struct {
	// Account biases the account. Allowed overrides the fields it needs.
	Account accounttest.AccountOptions
	// Type, when set, is every request's link type.
	Type links.LinkType
	// Live biases live mode (L2).
	Live Bias
	// Allowed biases the decision: Always builds requests that
	// CanCreateAccountLink allows (future requirements are included only
	// where the platform collects requirements, L4), Never requests it
	// refuses on at least one ground (a removed account, account_update for
	// an account the rules exclude, future requirements included for an
	// account Stripe collects for, a plain-http URL in live mode).
	Allowed Bias
}

// AccountLinkRequest returns a generator of account-link requests biased by
// opts. It panics when opts contradict each other, a mistake in the test
// rather than in the code under test. It is safe for concurrent use.
func AccountLinkRequest(opts AccountLinkOptions) *rapid.Generator[AccountLinkInput] {
	if opts.Type != "" && !opts.Type.Valid() {
		panic(fmt.Sprintf("linkstest: unknown link type %q", opts.Type))
	}
	return rapid.Custom(func(t *rapid.T) AccountLinkInput { return DrawAccountLinkRequest(t, "account_link", opts) })
}

// DrawAccountLinkRequest draws one request as AccountLinkRequest does,
// directly on t, so that a failing case prints each choice under label.
func DrawAccountLinkRequest(t *rapid.T, label string, opts AccountLinkOptions) AccountLinkInput {
	var p links.AccountLinkParams
	p.Type = opts.Type
	if p.Type == "" {
		p.Type = rapid.SampledFrom([]links.LinkType{links.TypeOnboarding, links.TypeUpdate}).Draw(t, label+".type")
	}
	p.Live = drawBias(t, label+".live", opts.Live)
	ao := opts.Account
	insecure, future := false, false
	switch opts.Allowed {
	case Always:
		ao.Removed = Never
		if p.Type == links.TypeUpdate {
			// L3: the platform collects, no Stripe-hosted dashboard; L5:
			// not a no-dashboard account Stripe is liable for.
			ao.Legacy, ao.Dashboard, ao.Collector, ao.Liability = "", account.DashboardNone, account.PartyApplication, account.PartyApplication
		}
	case Never:
		grounds := []string{"removed", "insecure_url", "future_not_collected"}
		if opts.Type != links.TypeOnboarding {
			grounds = append(grounds, "update_excluded")
		}
		switch rapid.SampledFrom(grounds).Draw(t, label+".refused_because") {
		case "removed":
			ao.Removed = Always
		case "insecure_url":
			p.Live, insecure = true, true
		case "future_not_collected":
			future = true // L4
			if ao.Collector == "" && ao.Legacy == "" {
				ao.Collector = account.PartyStripe
			}
		case "update_excluded":
			p.Type = links.TypeUpdate
			if ao.Collector == "" && ao.Legacy == "" {
				ao.Collector = account.PartyStripe // L3
			} else if ao.Dashboard == "" && ao.Legacy == "" {
				ao.Dashboard = account.DashboardFull // L3
			}
		}
	}
	a := accounttest.DrawAccount(t, label+".account", ao)
	if opts.Allowed == Never && p.Type == links.TypeUpdate && !insecure && !a.Removed &&
		a.RequirementCollection == account.PartyApplication && a.Dashboard == account.DashboardNone && a.NegativeBalanceLiability == account.PartyApplication {
		// The options pinned an account account_update suits: refuse on
		// the URL instead.
		p.Live, insecure = true, true
	}
	if future && a.RequirementCollection != account.PartyStripe && !insecure && !a.Removed {
		// The options pinned an account the platform collects for, where
		// include is allowed: refuse on the URL instead.
		p.Live, insecure = true, true
	}
	scheme := "https"
	if !p.Live && rapid.Bool().Draw(t, label+".plain_http") {
		scheme = "http"
	}
	p.RefreshURL = scheme + "://platform.example/connect/refresh"
	p.ReturnURL = scheme + "://platform.example/connect/return"
	if insecure {
		if rapid.Bool().Draw(t, label+".insecure_return") {
			p.ReturnURL = "http://platform.example/connect/return"
		} else {
			p.RefreshURL = "http://platform.example/connect/refresh"
		}
	}
	p.Collection.Fields = rapid.SampledFrom([]requirements.CollectionFields{"", requirements.CollectCurrentlyDue, requirements.CollectEventuallyDue}).Draw(t, label+".collection_fields")
	switch {
	case future:
		p.Collection.FutureRequirements = requirements.FutureInclude
	case opts.Allowed == Always && a.RequirementCollection == account.PartyStripe:
		// L4: include only where the platform collects requirements.
		p.Collection.FutureRequirements = rapid.SampledFrom([]requirements.FutureRequirements{"", requirements.FutureOmit}).Draw(t, label+".future_requirements")
	default:
		p.Collection.FutureRequirements = rapid.SampledFrom([]requirements.FutureRequirements{"", requirements.FutureOmit, requirements.FutureInclude}).Draw(t, label+".future_requirements")
	}
	return AccountLinkInput{Account: a, Params: p}
}

// RemediationInput is a generated remediation-link request: who asks, under
// which policy, for which account, on which platform — the arguments of
// links.CanGenerateRemediationLink and links.ResolveDestination.
type RemediationInput struct {
	User     roles.User
	Policy   roles.Policy
	Account  account.Account
	Platform account.Platform
}

// Check returns links.CanGenerateRemediationLink(in.Policy, in.User.Roles, in.Account).
func (in RemediationInput) Check() links.Decision {
	return links.CanGenerateRemediationLink(in.Policy, in.User.Roles, in.Account)
}

// Destination returns links.ResolveDestination(in.Account, in.Platform).
func (in RemediationInput) Destination() (links.Destination, error) {
	return links.ResolveDestination(in.Account, in.Platform)
}

// RemediationOptions bias RemediationRequest. The zero value draws any
// request under roles.Default(): any user, any valid account and platform.
type RemediationOptions struct {
	// Account, Platform and Roles bias the parts; Allowed overrides the
	// fields it needs.
	Account  accounttest.AccountOptions
	Platform accounttest.PlatformOptions
	Roles    rolestest.SetOptions
	// Allowed biases the decision: Always builds requests that
	// CanGenerateRemediationLink allows (a permitted role, an account not
	// removed, a confirmed owner, a complete representative, a payout
	// account: L7, A6, L6, L8);
	// Never requests it refuses on at least one of those grounds.
	Allowed Bias
}

// RemediationRequest returns a generator of remediation-link requests
// biased by opts. It is safe for concurrent use.
func RemediationRequest(opts RemediationOptions) *rapid.Generator[RemediationInput] {
	return rapid.Custom(func(t *rapid.T) RemediationInput { return DrawRemediationRequest(t, "remediation", opts) })
}

// DrawRemediationRequest draws one request as RemediationRequest does,
// directly on t, so that a failing case prints each choice under label.
func DrawRemediationRequest(t *rapid.T, label string, opts RemediationOptions) RemediationInput {
	ao, ro := opts.Account, opts.Roles
	switch opts.Allowed {
	case Always:
		ro.Permitting, ro.Denying = roles.GenerateRemediationLink, 0
		ao.Removed, ao.RepresentativeComplete, ao.ExternalAccount, ao.OwnerConfirmed = Never, Always, Always, Always
	case Never:
		switch rapid.SampledFrom([]string{"role", "removed", "owner_not_confirmed", "representative", "payout_account"}).Draw(t, label+".refused_because") {
		case "role":
			ro.Permitting, ro.Denying = 0, roles.GenerateRemediationLink
		case "removed":
			ao.Removed = Always
		case "owner_not_confirmed":
			ao.OwnerConfirmed = Never
		case "representative":
			ao.RepresentativeComplete = Never
		case "payout_account":
			ao.ExternalAccount = Never
		}
	}
	pol := roles.Default()
	if ro.Policy != nil {
		pol = *ro.Policy
	}
	u := roles.User{
		ID:    fmt.Sprintf("usr_%d", rapid.IntRange(0, 9).Draw(t, label+".user_id")),
		Roles: rolestest.DrawSet(t, label+".user_roles", ro),
	}
	return RemediationInput{
		User:     u,
		Policy:   pol,
		Account:  accounttest.DrawAccount(t, label+".account", ao),
		Platform: accounttest.DrawPlatform(t, label+".platform", opts.Platform),
	}
}

func drawBias(t *rapid.T, label string, b Bias) bool {
	switch b {
	case Always:
		return true
	case Never:
		return false
	}
	return rapid.Bool().Draw(t, label)
}
