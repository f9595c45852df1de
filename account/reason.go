package account

import (
	"fmt"

	"github.com/connectkit/connectkit/internal/reasonset"
)

// Reason is a stable, machine-readable ground on which a decision refuses
// an operation. Each has a snake_case Code, the ID of the rule it enforces
// (Rule) and a sentence (String). The zero Reason is not a reason.
type Reason uint8

// The reasons the decisions of this package give. Their numeric values are
// not stable across versions; their codes are.
const (
	// ReasonAccountRemoved: the account was removed from the platform;
	// removal is permanent and every operation is refused (A6).
	ReasonAccountRemoved Reason = iota + 1
	// ReasonInvalidAccount: the account to create fails Validate, or is
	// marked removed (A1).
	ReasonInvalidAccount
	// ReasonPlatformProfileIncomplete: the platform profile is not
	// completed (A3).
	ReasonPlatformProfileIncomplete
	// ReasonPlatformInFrance: platforms in France cannot create accounts
	// in the Dashboard, only through Stripe-hosted onboarding (A3).
	ReasonPlatformInFrance
	// ReasonDashboardNotFull: only accounts with full Dashboard access can
	// be removed (A6).
	ReasonDashboardNotFull
	// ReasonPlatformNotLiable: funds are sent directly to an account's
	// bank account or debit card only when the platform is liable for its
	// negative balances (A7).
	ReasonPlatformNotLiable
	// ReasonExternalAccountMissing: funds sent directly to an account's bank
	// account or debit card need one on file (A7).
	ReasonExternalAccountMissing
	// ReasonSendDestinationInvalid: the destination of a send is not a
	// declared Destination (A7).
	ReasonSendDestinationInvalid
	// ReasonSendAmountNotPositive: the amount to send is zero or negative
	// (A7).
	ReasonSendAmountNotPositive
	// ReasonSendCurrencyInvalid: the amount to send is not in a known
	// currency, or has more fractional digits than the currency (A7).
	ReasonSendCurrencyInvalid
	// ReasonPlatformBalanceInsufficient: funds come from the platform
	// balance, which may not go negative (A7).
	ReasonPlatformBalanceInsufficient
	// ReasonPullPlatformNotLiable: funds are pulled only from accounts
	// whose negative balances the platform is liable for (A8).
	ReasonPullPlatformNotLiable
	// ReasonPlatformNotInUS: pulling funds is a US preview; the platform
	// must be in the US (A8).
	ReasonPlatformNotInUS
	// ReasonAccountNotInUS: pulling funds is a US preview; the connected
	// account must be in the US (A8).
	ReasonAccountNotInUS
	// ReasonPullAmountNotPositive: the amount to pull is zero or negative
	// (A8).
	ReasonPullAmountNotPositive
	// ReasonPullCurrencyInvalid: the amount to pull is not in a known
	// currency, or has more fractional digits than the currency (A8).
	ReasonPullCurrencyInvalid
	// ReasonAccountBalanceInsufficient: funds are pulled from the
	// account's Stripe balance, which may not go negative (A8).
	ReasonAccountBalanceInsufficient
	// ReasonPlatformDoesNotCollect: the platform may edit account
	// information and payout schedules only where it collects
	// requirements (A9).
	ReasonPlatformDoesNotCollect
	// ReasonNoDashboardAccess: support cases are visible only for accounts
	// with full or Express Dashboard access (A5).
	ReasonNoDashboardAccess
	// ReasonConnectedToSeveralPlatforms: the account is or was connected
	// to several platforms, so its support cases are not shared (A5).
	ReasonConnectedToSeveralPlatforms
	// ReasonAccountIsPlatform: the account is itself a platform, so its
	// support cases are not shared (A5).
	ReasonAccountIsPlatform
	// ReasonOptedOutOfCaseSharing: the account opted out of sharing its
	// support cases (A5).
	ReasonOptedOutOfCaseSharing

	numReasons = iota + 1
)

var reasonInfo = [numReasons]struct{ code, rule, text string }{
	ReasonAccountRemoved:              {"account_removed", "A6", "the account was removed from the platform"},
	ReasonInvalidAccount:              {"invalid_account", "A1", "the account is not valid"},
	ReasonPlatformProfileIncomplete:   {"platform_profile_incomplete", "A3", "the platform profile is not completed"},
	ReasonPlatformInFrance:            {"platform_in_france", "A3", "platforms in France can create accounts only through Stripe-hosted onboarding"},
	ReasonDashboardNotFull:            {"dashboard_not_full", "A6", "only accounts with full Dashboard access can be removed"},
	ReasonPlatformNotLiable:           {"platform_not_liable", "A7", "the platform is not liable for the account's negative balances, so it cannot send to its bank account or debit card"},
	ReasonExternalAccountMissing:      {"external_account_missing", "A7", "the account has no bank account or debit card on file"},
	ReasonSendDestinationInvalid:      {"send_destination_invalid", "A7", "the destination of the funds is not a declared destination"},
	ReasonSendAmountNotPositive:       {"send_amount_not_positive", "A7", "the amount to send is not positive"},
	ReasonSendCurrencyInvalid:         {"send_currency_invalid", "A7", "the amount to send is not exact in a known currency"},
	ReasonPlatformBalanceInsufficient: {"platform_balance_insufficient", "A7", "the platform balance is insufficient"},
	ReasonPullPlatformNotLiable:       {"pull_platform_not_liable", "A8", "the platform is not liable for the account's negative balances"},
	ReasonPlatformNotInUS:             {"platform_not_in_us", "A8", "pulling funds requires a platform in the US"},
	ReasonAccountNotInUS:              {"account_not_in_us", "A8", "pulling funds requires an account in the US"},
	ReasonPullAmountNotPositive:       {"pull_amount_not_positive", "A8", "the amount to pull is not positive"},
	ReasonPullCurrencyInvalid:         {"pull_currency_invalid", "A8", "the amount to pull is not exact in a known currency"},
	ReasonAccountBalanceInsufficient:  {"account_balance_insufficient", "A8", "the account balance is insufficient"},
	ReasonPlatformDoesNotCollect:      {"platform_does_not_collect", "A9", "the platform does not collect the account's requirements"},
	ReasonNoDashboardAccess:           {"no_dashboard_access", "A5", "the account has no Stripe Dashboard access"},
	ReasonConnectedToSeveralPlatforms: {"connected_to_several_platforms", "A5", "the account is or was connected to several platforms"},
	ReasonAccountIsPlatform:           {"account_is_platform", "A5", "the account is itself a platform"},
	ReasonOptedOutOfCaseSharing:       {"opted_out_of_case_sharing", "A5", "the account opted out of sharing its support cases"},
}

// invalidReasons are the reasons that mean the caller's input was
// malformed; their errors also match ErrInvalid.
var invalidReasons = reasonset.Of(ReasonInvalidAccount, ReasonSendAmountNotPositive, ReasonSendDestinationInvalid,
	ReasonSendCurrencyInvalid, ReasonPullAmountNotPositive, ReasonPullCurrencyInvalid)

// reasons answers Reason's methods from reasonInfo (internal/reasonset).
var reasons = reasonset.NewTable(numReasons,
	func(r Reason) (code, rule, text string) { i := reasonInfo[r]; return i.code, i.rule, i.text },
	func(code string) error { return fmt.Errorf("%w: unknown reason code %q", ErrInvalid, code) })

// Valid reports whether r is a declared reason.
func (r Reason) Valid() bool { return r > 0 && r < numReasons }

// Code returns the reason's stable snake_case code, such as
// "platform_not_liable"; "none" for the zero Reason, or "Reason(N)" for an
// undeclared value.
func (r Reason) Code() string { return reasons.Code(r) }

// Rule returns the ID of the rule the reason enforces, such as "A7"; empty
// for an undeclared value.
func (r Reason) Rule() string { return reasons.Rule(r) }

// String returns a sentence a person can read, ending with the rule ID.
func (r Reason) String() string { return reasons.String(r) }

// MarshalText encodes r as its code; an undeclared reason is an error
// matching ErrInvalid.
func (r Reason) MarshalText() ([]byte, error) { return reasons.MarshalText(r) }

// UnmarshalText decodes a code; an unknown code is an error matching
// ErrInvalid and leaves r unchanged.
func (r *Reason) UnmarshalText(b []byte) error { return reasons.UnmarshalText(r, b) }

// Reasons is a set of reasons, as a bitset so that decisions do not
// allocate: the library's one reason set (internal/reasonset), which
// encodes to JSON as [{"code", "rule", "message"}, …]. The zero value is the
// empty set.
type Reasons = reasonset.Set[Reason]
