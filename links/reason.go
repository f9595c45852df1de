package links

import (
	"fmt"

	"github.com/connectkit/connectkit/internal/reasonset"
)

// Reason is one stable, machine-readable ground for refusing a links
// operation. Each has a snake_case Code, the catalogue rule it enforces
// (Rule) and a sentence (String). The zero Reason is not a reason.
type Reason uint8

// The reasons a links decision gives. Their codes and rules are stable.
const (
	// ReasonAccountMissing: no account ID was given.
	ReasonAccountMissing Reason = iota + 1
	// ReasonAccountRemoved: the account was removed from the platform and
	// takes no links (A6).
	ReasonAccountRemoved
	// ReasonAccountMisconfigured: the account's dashboard access,
	// requirement collection or negative-balance liability is not one of
	// the values of A1, so the link rules cannot be applied.
	ReasonAccountMisconfigured
	// ReasonUnknownLinkType: the type is neither account_onboarding nor
	// account_update (L3).
	ReasonUnknownLinkType
	// ReasonRefreshURLMissing: no refresh URL (L2).
	ReasonRefreshURLMissing
	// ReasonRefreshURLMalformed: the refresh URL is not an absolute http or
	// https URL (L2).
	ReasonRefreshURLMalformed
	// ReasonRefreshURLInsecure: the refresh URL is plain http in live mode
	// (L2).
	ReasonRefreshURLInsecure
	// ReasonReturnURLMissing: no return URL (L2).
	ReasonReturnURLMissing
	// ReasonReturnURLMalformed: the return URL is not an absolute http or
	// https URL (L2).
	ReasonReturnURLMalformed
	// ReasonReturnURLInsecure: the return URL is plain http in live mode
	// (L2).
	ReasonReturnURLInsecure
	// ReasonInvalidCollectionOptions: collection fields or future
	// requirements hold a value L4 does not know.
	ReasonInvalidCollectionOptions
	// ReasonUpdateNotCollectedByPlatform: account_update links are only for
	// accounts whose requirements the platform collects (L3).
	ReasonUpdateNotCollectedByPlatform
	// ReasonUpdateStripeHostedDashboard: account_update links are refused
	// for accounts with a Stripe-hosted (full or Express) dashboard (L3).
	ReasonUpdateStripeHostedDashboard
	// ReasonEmbeddedComponentsRequired: an account without a Stripe-hosted
	// dashboard whose negative balances Stripe is liable for must update
	// its information through embedded components (L5).
	ReasonEmbeddedComponentsRequired
	// ReasonRefreshLimitExceeded: the refresh chain made too many links
	// in the current window; a refresh handler is probably looping (L1).
	ReasonRefreshLimitExceeded
	// ReasonLinkUnknown: no link has this token (L1).
	ReasonLinkUnknown
	// ReasonLinkExpired: the account link's lifetime is over (L1).
	ReasonLinkExpired
	// ReasonLinkAlreadyUsed: the account link was already visited, perhaps
	// by a chat client's preview (L1).
	ReasonLinkAlreadyUsed
	// ReasonOwnerNotSet: the account owner is not confirmed, so the link
	// might reach the wrong individual (L6: "make sure that it goes to the
	// right individual by verifying that the account owner is set
	// correctly"). Not produced until package account records whether the
	// owner is confirmed.
	ReasonOwnerNotSet
	// ReasonRepresentativeNameMissing: the primary representative has no
	// full name (L8).
	ReasonRepresentativeNameMissing
	// ReasonRepresentativeDOBMissing: the primary representative has no
	// valid date of birth (L8).
	ReasonRepresentativeDOBMissing
	// ReasonExternalAccountMissing: there is no external payout account
	// (L8).
	ReasonExternalAccountMissing
	// ReasonRemediationLinkExpired: the remediation link's 90 days are over
	// (L6); generate a new one.
	ReasonRemediationLinkExpired
	// ReasonAwaitingReset: a verification failed on the remediation link
	// and the platform has not reset it yet (L10).
	ReasonAwaitingReset
	// ReasonNothingToReset: no failed verification is waiting for a reset
	// (L10).
	ReasonNothingToReset
	// ReasonSecurityCheckRequired: wrong information was entered four times
	// and the resets granted so far are used up; a security check must be
	// acknowledged before the next reset (L10).
	ReasonSecurityCheckRequired
	// ReasonNothingToAcknowledge: no security check is pending (L10).
	ReasonNothingToAcknowledge
	// ReasonLinkReplaced: a refresh replaced the account link; only the
	// latest link of a refresh chain can be redeemed or refreshed (L1).
	ReasonLinkReplaced
	// ReasonRefreshChainExpired: the refresh chain is older than its
	// maximum age (Service.RefreshChainAge); the platform makes a fresh
	// link with CreateAccountLink (L1).
	ReasonRefreshChainExpired
	// ReasonRemediationLinkRevoked: the platform revoked the remediation
	// link (L6); generate a new one.
	ReasonRemediationLinkRevoked
	// ReasonLinkStillValid: Refresh was asked for an account link that is
	// unused, not replaced and unexpired: redeem it instead (L1). A
	// refresh key is derived from the link's token, so whoever holds a
	// live link's URL could otherwise mint new live links with it.
	ReasonLinkStillValid
	// ReasonFutureRequirementsNotCollectedByPlatform: the link asks to
	// collect future requirements (include) for an account whose
	// requirements Stripe collects; the seed offers that option only "for
	// connected accounts where you're responsible for requirement
	// collection" (L4). Omit stays allowed for every account.
	ReasonFutureRequirementsNotCollectedByPlatform

	numReasons = iota + 1
)

type reasonInfo struct {
	code, rule, text string
	err              error
}

var reasonTable = [numReasons]reasonInfo{
	ReasonAccountMissing:               {"account_missing", "L1", "no account was given", ErrInvalid},
	ReasonAccountRemoved:               {"account_removed", "A6", "the account was removed from the platform", ErrNotEligible},
	ReasonAccountMisconfigured:         {"account_misconfigured", "A1", "the account's dashboard access, requirement collection or liability is not a known value", ErrNotEligible},
	ReasonUnknownLinkType:              {"unknown_link_type", "L3", "the link type must be account_onboarding or account_update", ErrInvalid},
	ReasonRefreshURLMissing:            {"refresh_url_missing", "L2", "a refresh URL is required", ErrInvalidURL},
	ReasonRefreshURLMalformed:          {"refresh_url_malformed", "L2", "the refresh URL is not an absolute http or https URL", ErrInvalidURL},
	ReasonRefreshURLInsecure:           {"refresh_url_insecure", "L2", "live mode accepts only an https refresh URL", ErrInvalidURL},
	ReasonReturnURLMissing:             {"return_url_missing", "L2", "a return URL is required", ErrInvalidURL},
	ReasonReturnURLMalformed:           {"return_url_malformed", "L2", "the return URL is not an absolute http or https URL", ErrInvalidURL},
	ReasonReturnURLInsecure:            {"return_url_insecure", "L2", "live mode accepts only an https return URL", ErrInvalidURL},
	ReasonInvalidCollectionOptions:     {"invalid_collection_options", "L4", "collection fields must be currently_due or eventually_due and future requirements omit or include", ErrInvalid},
	ReasonUpdateNotCollectedByPlatform: {"update_not_collected_by_platform", "L3", "account_update links need the platform to collect the account's requirements", ErrNotEligible},
	ReasonUpdateStripeHostedDashboard:  {"update_stripe_hosted_dashboard", "L3", "account_update links are not available for accounts with a Stripe-hosted dashboard", ErrNotEligible},
	ReasonEmbeddedComponentsRequired:   {"embedded_components_required", "L5", "an account without a Stripe-hosted dashboard for whose negative balances Stripe is liable must use embedded components", ErrNotEligible},
	ReasonRefreshLimitExceeded:         {"refresh_limit_exceeded", "L1", "the refresh chain made too many links in its window; the refresh handler may be looping", ErrRefreshLimit},
	ReasonLinkUnknown:                  {"link_unknown", "L1", "no link has this token", ErrNotFound},
	ReasonLinkExpired:                  {"link_expired", "L1", "the account link has expired", ErrExpired},
	ReasonLinkAlreadyUsed:              {"link_already_used", "L1", "the account link was already visited", ErrAlreadyUsed},
	ReasonOwnerNotSet:                  {"owner_not_set", "L6", "the account owner is not confirmed", ErrNotEligible},
	ReasonRepresentativeNameMissing:    {"representative_name_missing", "L8", "the primary representative's full name is missing", ErrNotEligible},
	ReasonRepresentativeDOBMissing:     {"representative_dob_missing", "L8", "the primary representative's date of birth is missing", ErrNotEligible},
	ReasonExternalAccountMissing:       {"external_account_missing", "L8", "the account has no external payout account", ErrNotEligible},
	ReasonRemediationLinkExpired:       {"remediation_link_expired", "L6", "the remediation link's 90 days are over; generate a new one", ErrExpired},
	ReasonAwaitingReset:                {"awaiting_reset", "L10", "a verification failed; the platform must check the account and reset the link", ErrAwaitingReset},
	ReasonNothingToReset:               {"nothing_to_reset", "L10", "no failed verification is waiting for a reset", ErrNothingToReset},
	ReasonSecurityCheckRequired:        {"security_check_required", "L10", "wrong information was entered four times and no reset is left; acknowledge the security check before resetting", ErrSecurityCheckRequired},
	ReasonNothingToAcknowledge:         {"nothing_to_acknowledge", "L10", "no security check is pending", ErrNothingToAcknowledge},
	ReasonLinkReplaced:                 {"link_replaced", "L1", "a refresh replaced the account link; only the latest link of a chain works", ErrSuperseded},
	ReasonRefreshChainExpired:          {"refresh_chain_expired", "L1", "the refresh chain is too old; make a new account link", ErrExpired},
	ReasonRemediationLinkRevoked:       {"remediation_link_revoked", "L6", "the platform revoked the remediation link; generate a new one", ErrExpired},
	ReasonLinkStillValid:               {"link_still_valid", "L1", "the account link is unused and unexpired; redeem it instead of refreshing it", ErrStillValid},
	ReasonFutureRequirementsNotCollectedByPlatform: {"future_requirements_not_collected_by_platform", "L4",
		"future requirements can be included only for accounts where the platform is responsible for requirement collection", ErrNotEligible},
}

// AllReasons returns every declared reason in declaration order, as a new
// slice; tests use it to check that each has a code, a rule and a sentence.
func AllReasons() []Reason {
	out := make([]Reason, 0, numReasons-1)
	for r := Reason(1); r < numReasons; r++ {
		out = append(out, r)
	}
	return out
}

// reasons answers Reason's methods from reasonTable (internal/reasonset).
var reasons = reasonset.NewTable(numReasons,
	func(r Reason) (code, rule, text string) { i := reasonTable[r]; return i.code, i.rule, i.text },
	func(code string) error { return fmt.Errorf("%w: unknown reason code %q", ErrInvalid, code) })

// Valid reports whether r is a declared reason.
func (r Reason) Valid() bool { return r > 0 && r < numReasons }

// Code returns the reason's stable snake_case code, such as
// "refresh_url_insecure"; "none" for the zero Reason (as on a Redemption
// that proceeds), or "Reason(N)" for an undeclared value.
func (r Reason) Code() string { return reasons.Code(r) }

// Rule returns the ID of the catalogue rule r enforces, such as "L2".
func (r Reason) Rule() string { return reasons.Rule(r) }

// String returns a sentence a person can read, ending with the rule ID.
func (r Reason) String() string { return reasons.String(r) }

// Err returns the sentinel error r belongs to, such as ErrInvalidURL.
func (r Reason) Err() error {
	if !r.Valid() {
		return nil
	}
	return reasonTable[r].err
}

// MarshalText encodes r as its code; an undeclared reason is an error
// matching ErrInvalid.
func (r Reason) MarshalText() ([]byte, error) { return reasons.MarshalText(r) }

// UnmarshalText decodes a code; an unknown code is an error matching
// ErrInvalid and leaves r unchanged.
func (r *Reason) UnmarshalText(b []byte) error { return reasons.UnmarshalText(r, b) }

// Reasons is a set of Reason, as a bitset: collecting every failing reason
// of a check does not allocate. The zero Reasons is empty. It is the set
// every connectkit package shares; it renders in JSON as
// [{"code", "rule", "message"}, …].
type Reasons = reasonset.Set[Reason]

// ReasonsOf returns the set of the given reasons; undeclared values are
// dropped.
func ReasonsOf(rs ...Reason) Reasons { return reasonset.Of(rs...) }
