package account

import (
	"fmt"
	"strings"
	"time"

	"github.com/connectkit/connectkit/roles"
)

// Op is a platform operation on a connected account. The zero Op is not an
// operation.
type Op uint8

// The operations of seed 003, with the rule that governs each.
const (
	OpCreate                 Op = iota + 1 // create in the Dashboard (A3)
	OpRemove                               // remove from the platform (A6)
	OpSendFunds                            // send funds from the platform balance (A7)
	OpPullFunds                            // pull funds to the platform balance (A8)
	OpEditAccountInformation               // edit profile and contact details (A9)
	OpEditPayoutSchedule                   // edit the payout schedule (A9)
	OpViewSupportCases                     // view the account's support cases (A5)
	OpViewAs                               // "View Dashboard as" the account (A10)

	numOps = iota + 1
)

var opInfo = [numOps]struct {
	wire, rule string
	action     roles.Action
}{
	OpCreate:                 {"create", "A3", roles.CreateConnectedAccount},
	OpRemove:                 {"remove", "A6", roles.RemoveAccount},
	OpSendFunds:              {"send_funds", "A7", roles.SendFunds},
	OpPullFunds:              {"pull_funds", "A8", roles.PullFunds},
	OpEditAccountInformation: {"edit_account_information", "A9", roles.EditAccountInformation},
	OpEditPayoutSchedule:     {"edit_payout_schedule", "A9", roles.EditPayoutSchedule},
	OpViewSupportCases:       {"view_support_cases", "A5", roles.ViewSupportCases},
	OpViewAs:                 {"view_as", "A10", roles.ViewConnectedAccount},
}

// Valid reports whether o is a declared operation.
func (o Op) Valid() bool { return o > 0 && o < numOps }

// String returns the operation's snake_case name, such as "send_funds".
func (o Op) String() string {
	if !o.Valid() {
		return fmt.Sprintf("Op(%d)", uint8(o))
	}
	return opInfo[o].wire
}

// Rule returns the ID of the rule that governs o, such as "A7".
func (o Op) Rule() string {
	if !o.Valid() {
		return ""
	}
	return opInfo[o].rule
}

// Action returns the roles.Action a user's roles must permit for o.
func (o Op) Action() roles.Action {
	if !o.Valid() {
		return 0
	}
	return opInfo[o].action
}

// Decision is the outcome of one operation's check: whether it is allowed
// and every reason it is not. It is a value; computing one does not
// allocate. The zero Decision allows nothing.
type Decision struct {
	// Op is the operation decided.
	Op Op
	// Allowed reports whether the operation may proceed: true exactly
	// when Role allows it and Reasons is empty.
	Allowed bool
	// Reasons holds every reason of this package that failed, not only
	// the first. A role denial is not among them: Role reports it.
	Reasons Reasons
	// Role is the permission check of the roles package for Op's action,
	// with the roles held, the roles permitted and the rule that gated it
	// (Op's rule: A3, A5–A10). The operation is refused when Role is.
	Role roles.Decision
	// NeedsOnboardingLink is set by CanCreate when the account to create
	// has a Stripe Dashboard (full or Express): creation yields a one-time
	// onboarding link for the account holder, and the account is
	// connected only when they complete it. With no dashboard the account
	// is created at once (A3).
	NeedsOnboardingLink bool
	// Exact is set by ViewAs: "View Dashboard as" shows exactly what the
	// account sees only for full-Dashboard accounts; for Express and no
	// dashboard it shows the full Dashboard, which is not what they see
	// (A10).
	Exact bool
}

func (d Decision) done() Decision {
	d.Allowed = d.Reasons.Empty() && d.Role.Allowed
	return d
}

// String returns one sentence a person can read, naming the operation and
// every reason with its rule, the role denial first.
func (d Decision) String() string {
	if d.Allowed {
		return fmt.Sprintf("%v allowed (%s)", d.Op, d.Op.Rule())
	}
	roleDenied := d.Role.Action != 0 && !d.Role.Allowed
	if d.Reasons.Empty() && !roleDenied {
		return fmt.Sprintf("%v denied: no decision was made", d.Op)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%v denied: ", d.Op)
	first := true
	if roleDenied {
		b.WriteString(d.Role.String())
		first = false
	}
	for r := range d.Reasons.All() {
		if !first {
			b.WriteString("; ")
		}
		first = false
		b.WriteString(r.String())
	}
	return b.String()
}

// Err returns nil when the decision allows its operation, and otherwise a
// *DecisionError matching ErrDenied and roles.ErrDenied when the roles
// denied, ErrNotEligible when a reason refused (and ErrRemoved or
// ErrInvalid as the reasons say).
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return &DecisionError{Decision: d}
}

// begin starts a decision for op on a: the removal check (A6: every
// operation on a removed account is refused) and the role check.
func begin(op Op, pol roles.Policy, held roles.Set, removed bool) Decision {
	d := Decision{Op: op, Role: pol.Check(held, op.Action())}
	if removed {
		d.Reasons = d.Reasons.With(ReasonAccountRemoved)
	}
	return d
}

// CanCreate decides whether a user holding held may create the account a
// in the Dashboard of platform p (A3): the roles must permit it (the
// Administrator or the Developer under roles.Default), the platform
// profile must be complete, the platform must not be in France, and a must
// be a valid account that is not marked removed. When allowed,
// NeedsOnboardingLink says whether creation yields a one-time onboarding
// link (full or Express dashboard) or creates the account at once (none).
func CanCreate(pol roles.Policy, held roles.Set, p Platform, a Account) Decision {
	d := begin(OpCreate, pol, held, false)
	if !p.ProfileComplete {
		d.Reasons = d.Reasons.With(ReasonPlatformProfileIncomplete)
	}
	if p.Country == "FR" {
		d.Reasons = d.Reasons.With(ReasonPlatformInFrance)
	}
	if a.Removed || a.Validate() != nil {
		d.Reasons = d.Reasons.With(ReasonInvalidAccount)
	}
	d.NeedsOnboardingLink = a.Dashboard == DashboardFull || a.Dashboard == DashboardExpress
	return d.done()
}

// CanRemove decides whether a user holding held may remove account a from
// the platform (A6): only accounts with full Dashboard access can be
// removed, and an account already removed cannot be removed again.
func CanRemove(pol roles.Policy, held roles.Set, a Account) Decision {
	d := begin(OpRemove, pol, held, a.Removed)
	if a.Dashboard != DashboardFull {
		d.Reasons = d.Reasons.With(ReasonDashboardNotFull)
	}
	return d.done()
}

// Destination is where funds sent to a connected account land (A7). The
// zero Destination is ToBalance.
type Destination uint8

// The destinations of seed 003's "Send funds".
const (
	// ToBalance sends to the account's Stripe balance: a transfer from the
	// platform's balance, open to every account (A7).
	ToBalance Destination = iota
	// ToExternalAccount sends directly to the account's bank account or
	// debit card (its external account): only for accounts whose negative
	// balances the platform is liable for, and only when one is on file
	// (A7). The account's Stripe balance does not change.
	ToExternalAccount

	numDestinations
)

var destinationWire = [numDestinations]string{ToBalance: "balance", ToExternalAccount: "external_account"}

// Valid reports whether d is a declared destination.
func (d Destination) Valid() bool { return d < numDestinations }

// String returns the destination's wire name: "balance" or
// "external_account".
func (d Destination) String() string {
	if !d.Valid() {
		return fmt.Sprintf("Destination(%d)", uint8(d))
	}
	return destinationWire[d]
}

// MarshalText encodes d as its wire name; an undeclared value is an error.
func (d Destination) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, d)
	}
	return []byte(destinationWire[d]), nil
}

// UnmarshalText decodes a wire name; an unknown name is an error matching
// ErrInvalid and leaves d unchanged.
func (d *Destination) UnmarshalText(b []byte) error {
	for x := range numDestinations {
		if destinationWire[x] == string(b) {
			*d = x
			return nil
		}
	}
	return fmt.Errorf("%w: unknown destination %q", ErrInvalid, b)
}

// CanSendFunds decides whether a user holding held may send m from
// platform p's balance to account a, landing at to (A7, seed 003's "Send
// funds"): the roles must permit it (at least Administrator under
// roles.Default), m must be a positive amount exact in a known currency,
// and the platform's balance in that currency must cover it — funds sent
// come from the platform's balance. Only a send directly to the account's
// bank account or debit card (ToExternalAccount) also needs the platform to
// be liable for a's negative balances, and an external account on file; a
// send to a's Stripe balance (ToBalance) does not.
func CanSendFunds(pol roles.Policy, held roles.Set, p Platform, a Account, m Money, to Destination) Decision {
	d := begin(OpSendFunds, pol, held, a.Removed)
	switch to {
	case ToBalance:
	case ToExternalAccount:
		if a.NegativeBalanceLiability != PartyApplication {
			d.Reasons = d.Reasons.With(ReasonPlatformNotLiable)
		}
		if !a.HasExternalAccount {
			d.Reasons = d.Reasons.With(ReasonExternalAccountMissing)
		}
	default:
		d.Reasons = d.Reasons.With(ReasonSendDestinationInvalid)
	}
	okAmount := m.Amount.Sign() > 0
	if !okAmount {
		d.Reasons = d.Reasons.With(ReasonSendAmountNotPositive)
	}
	okCurrency := exactIn(m.Amount, m.Currency)
	if !okCurrency {
		d.Reasons = d.Reasons.With(ReasonSendCurrencyInvalid)
	}
	if okAmount && okCurrency && !covers(p.Balance, m) {
		d.Reasons = d.Reasons.With(ReasonPlatformBalanceInsufficient)
	}
	return d.done()
}

// CanPullFunds decides whether a user holding held may pull m from account
// a's balance to platform p's balance (A8, a US preview): the platform and
// the account must both be in the US, the platform must be liable for a's
// negative balances, the roles must permit it (at least Administrator
// under roles.Default), m must be a positive amount exact in a known
// currency, and the account's balance in that currency must cover it.
func CanPullFunds(pol roles.Policy, held roles.Set, p Platform, a Account, m Money) Decision {
	d := begin(OpPullFunds, pol, held, a.Removed)
	if p.Country != "US" {
		d.Reasons = d.Reasons.With(ReasonPlatformNotInUS)
	}
	if a.Country != "US" {
		d.Reasons = d.Reasons.With(ReasonAccountNotInUS)
	}
	if a.NegativeBalanceLiability != PartyApplication {
		d.Reasons = d.Reasons.With(ReasonPullPlatformNotLiable)
	}
	okAmount := m.Amount.Sign() > 0
	if !okAmount {
		d.Reasons = d.Reasons.With(ReasonPullAmountNotPositive)
	}
	okCurrency := exactIn(m.Amount, m.Currency)
	if !okCurrency {
		d.Reasons = d.Reasons.With(ReasonPullCurrencyInvalid)
	}
	if okAmount && okCurrency && !covers(a.Balance, m) {
		d.Reasons = d.Reasons.With(ReasonAccountBalanceInsufficient)
	}
	return d.done()
}

// covers reports whether b holds at least m (m positive).
func covers(b Balances, m Money) bool {
	bal, ok := b[m.Currency]
	if !ok || bal.Sign() <= 0 || !bounded(bal) {
		return false
	}
	return bal.Cmp(m.Amount) >= 0
}

// CanEditAccountInformation decides whether a user holding held may edit
// account a's profile, contact and business details (A9): only where the
// platform collects the account's requirements.
func CanEditAccountInformation(pol roles.Policy, held roles.Set, a Account) Decision {
	d := begin(OpEditAccountInformation, pol, held, a.Removed)
	if a.RequirementCollection != PartyApplication {
		d.Reasons = d.Reasons.With(ReasonPlatformDoesNotCollect)
	}
	return d.done()
}

// CanEditPayoutSchedule decides whether a user holding held may edit
// account a's payout schedule (A9): only where the platform collects the
// account's requirements.
func CanEditPayoutSchedule(pol roles.Policy, held roles.Set, a Account) Decision {
	d := begin(OpEditPayoutSchedule, pol, held, a.Removed)
	if a.RequirementCollection != PartyApplication {
		d.Reasons = d.Reasons.With(ReasonPlatformDoesNotCollect)
	}
	return d.done()
}

// CanViewSupportCases decides whether a user holding held may see the
// support cases account a opened with Stripe (A5): only accounts with full
// or Express Dashboard access, and none that is or was connected to
// several platforms, is itself a platform, or opted out of sharing its
// cases. Which cases are shown is SupportCaseVisible's business (the last
// 90 days).
func CanViewSupportCases(pol roles.Policy, held roles.Set, a Account) Decision {
	d := begin(OpViewSupportCases, pol, held, a.Removed)
	if a.Dashboard != DashboardFull && a.Dashboard != DashboardExpress {
		d.Reasons = d.Reasons.With(ReasonNoDashboardAccess)
	}
	if a.ConnectedToSeveralPlatforms {
		d.Reasons = d.Reasons.With(ReasonConnectedToSeveralPlatforms)
	}
	if a.IsPlatform {
		d.Reasons = d.Reasons.With(ReasonAccountIsPlatform)
	}
	if a.OptedOutOfCaseSharing {
		d.Reasons = d.Reasons.With(ReasonOptedOutOfCaseSharing)
	}
	return d.done()
}

// SupportCaseWindow is how far back support cases are shown (A5).
const SupportCaseWindow = 90 * 24 * time.Hour

// SupportCase is a support case a connected account opened with Stripe.
// The zero value is a case with no ID opened at the zero time.
type SupportCase struct {
	ID     string    // Stripe's case ID
	Opened time.Time // when the account opened it
}

// SupportCaseVisible reports whether a case opened at opened is "from the
// last 90 days" at now (A5). The window is closed: a case opened exactly
// 90 days (90×24 h) before now is shown, one opened a nanosecond earlier is
// not. A case stamped after now (clock skew) is shown.
func SupportCaseVisible(opened, now time.Time) bool {
	return !opened.Before(now.Add(-SupportCaseWindow))
}

// VisibleSupportCases returns, in their order, the cases of account a that
// a user holding held may see at now (A5), and the account-level decision.
// When the decision refuses, no case is returned. It allocates the result.
func VisibleSupportCases(pol roles.Policy, held roles.Set, a Account, cases []SupportCase, now time.Time) ([]SupportCase, Decision) {
	d := CanViewSupportCases(pol, held, a)
	if !d.Allowed {
		return nil, d
	}
	var out []SupportCase
	for _, c := range cases {
		if SupportCaseVisible(c.Opened, now) {
			out = append(out, c)
		}
	}
	return out, d
}

// ViewAs decides whether a user holding held may "View Dashboard as"
// account a, and whether what they see is exact (A10): it is exact only
// for full-Dashboard accounts; for Express and no-dashboard accounts the
// user still sees the full Dashboard, which is not what the account sees.
func ViewAs(pol roles.Policy, held roles.Set, a Account) Decision {
	d := begin(OpViewAs, pol, held, a.Removed)
	d.Exact = a.Dashboard == DashboardFull
	return d.done()
}

// InactivityPeriod is how long an account may go without activity before
// Stripe puts some of its verifications on hold (A4).
const InactivityPeriod = 540 * 24 * time.Hour

// Inactivity is the outcome of InactivityHold: whether some of an
// account's verifications are on hold for inactivity (A4). The zero value
// is "not on hold".
type Inactivity struct {
	// OnHold reports whether some verifications are on hold.
	OnHold bool
	// Since is when the hold began: LastActivity + 540 days; zero when
	// the account has no activity on record.
	Since time.Time
	// Idle is how long the account has been without activity at the
	// instant decided; zero when no activity is on record or it lies in
	// the future.
	Idle time.Duration
}

// InactivityHold reports whether account a, at now, "hasn't had activity
// in the last 540 days" (A4). The window is closed, as A5's is: activity
// exactly 540 days (540×24 h) before now still counts, so the hold begins
// strictly after that instant. An account with no activity on record (zero
// LastActivity) is on hold. Removal does not change the answer.
func InactivityHold(a Account, now time.Time) Inactivity {
	if a.LastActivity.IsZero() {
		return Inactivity{OnHold: true}
	}
	in := Inactivity{Since: a.LastActivity.Add(InactivityPeriod)}
	if now.After(a.LastActivity) {
		in.Idle = now.Sub(a.LastActivity)
	}
	in.OnHold = now.After(in.Since)
	return in
}
