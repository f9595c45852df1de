package roles

import "fmt"

// Action is an operation on connected accounts that a Dashboard user's roles
// must allow. The zero Action is not an action: every policy denies it.
// Actions marshal to and from stable snake_case wire names.
type Action uint8

// The gated actions of connectkit's rule catalogue. Each one's comment names
// the rule and the roles the default policy grants it to; "at least
// Administrator" means Owner, SuperAdmin and Admin (P2).
const (
	// CreateConnectedAccount creates a connected account in the Dashboard
	// (A3): Administrator or Developer. The Owner and the Super
	// Administrator may do everything an Administrator may (P2), so they
	// are granted it too.
	CreateConnectedAccount Action = iota + 1
	// SendFunds sends funds from the platform balance to a connected
	// account (A7): at least Administrator.
	SendFunds
	// PullFunds pulls funds from a connected account's balance (A8): at
	// least Administrator.
	PullFunds
	// GenerateRemediationLink generates a remediation link (L7): exactly
	// Administrator, Connect Onboarding Analyst, Developer, Data Migration
	// Specialist, Support Associate and Support Specialist. The seed says
	// "only the following user roles", so no other role — not even the
	// Owner or the Super Administrator — is granted it by default.
	GenerateRemediationLink
	// ExportRemediationLinks exports remediation links for many accounts
	// (L11). The seeds are silent on who may; exporting generates links,
	// so the default grants the six roles of L7 and no others.
	ExportRemediationLinks
	// AcknowledgeSecurityCheck acknowledges the security check that four
	// wrong-information failures impose before a remediation link may be
	// reset again (L10). The seeds are silent on who may; it overrides a
	// security lockout, so the default grants only the roles that may both
	// generate remediation links (L7) and act with at least Administrator
	// privileges: the Administrator.
	AcknowledgeSecurityCheck
	// ResetRemediationLink resets a remediation link after a failed
	// verification (L10). The seeds are silent on who may; a reset makes a
	// usable link again, so the default grants the six roles of L7.
	ResetRemediationLink
	// RequestRelink asks a customer, from the Dashboard, to relink a
	// Financial Connections account (K3). The seeds are silent on who may;
	// the default grants at least Administrator and the Financial
	// Connections Specialist, whose published role manages Financial
	// Connections accounts.
	RequestRelink
	// RemoveAccount removes (disconnects) a connected account (A6). The
	// seeds are silent on who may; removal loses platform-controlled
	// settings for good, so the default grants at least Administrator.
	RemoveAccount
	// EditAccountInformation edits a connected account's profile, contact
	// and business details (A9). The seeds are silent on who may; the
	// default grants the roles whose published description includes
	// editing connected accounts: at least Administrator, Developer,
	// Connect Onboarding Analyst, Support Associate and Support Specialist.
	EditAccountInformation
	// EditPayoutSchedule edits a connected account's payout schedule (A9).
	// The seeds are silent on who may; the default grants the roles whose
	// published description includes payout schedules: at least
	// Administrator, Developer, Support Associate and Support Specialist.
	EditPayoutSchedule
	// ViewSupportCases views the support cases a connected account opened
	// with Stripe (A5). The seeds are silent on who may; the default grants
	// at least Administrator and Support Communications, whose published
	// role is support cases.
	ViewSupportCases
	// ViewConnectedAccount views a connected account, including "View
	// Dashboard as" (A10). The default grants every role whose published
	// description includes viewing connected accounts: at least
	// Administrator, Developer, Connect Onboarding Analyst, Transfer
	// Analyst, Analyst, Data Migration Specialist, Support Associate,
	// Support Specialist and View Only.
	ViewConnectedAccount

	numActions = iota + 1
)

var actionInfo = [numActions]struct{ wire, rule, verb string }{
	CreateConnectedAccount:   {"create_connected_account", "A3", "create connected accounts"},
	SendFunds:                {"send_funds", "A7", "send funds to connected accounts"},
	PullFunds:                {"pull_funds", "A8", "pull funds from connected accounts"},
	GenerateRemediationLink:  {"generate_remediation_link", "L7", "generate remediation links"},
	ExportRemediationLinks:   {"export_remediation_links", "L11", "export remediation links"},
	AcknowledgeSecurityCheck: {"acknowledge_security_check", "L10", "acknowledge a remediation link security check"},
	ResetRemediationLink:     {"reset_remediation_link", "L10", "reset remediation links"},
	RequestRelink:            {"request_relink", "K3", "request a Financial Connections relink"},
	RemoveAccount:            {"remove_account", "A6", "remove connected accounts"},
	EditAccountInformation:   {"edit_account_information", "A9", "edit connected account information"},
	EditPayoutSchedule:       {"edit_payout_schedule", "A9", "edit connected account payout schedules"},
	ViewSupportCases:         {"view_support_cases", "A5", "view connected account support cases"},
	ViewConnectedAccount:     {"view_connected_account", "A10", "view connected accounts"},
}

// Actions returns every gated action, in declaration order, as a new slice.
func Actions() []Action {
	out := make([]Action, 0, numActions-1)
	for a := Action(1); a < numActions; a++ {
		out = append(out, a)
	}
	return out
}

// Valid reports whether a is one of the declared actions.
func (a Action) Valid() bool { return a > 0 && a < numActions }

// String returns the action's wire name, such as "send_funds", or
// "Action(N)" for an undeclared value.
func (a Action) String() string {
	if !a.Valid() {
		return fmt.Sprintf("Action(%d)", uint8(a))
	}
	return actionInfo[a].wire
}

// Rule returns the ID of the catalogue rule that gates a, such as "L7", or
// "P3" (default deny) for an undeclared value.
func (a Action) Rule() string {
	if !a.Valid() {
		return "P3"
	}
	return actionInfo[a].rule
}

// ParseAction returns the action whose wire name is s; an unknown name is an
// error matching ErrUnknownAction.
func ParseAction(s string) (Action, error) {
	for a := Action(1); a < numActions; a++ {
		if actionInfo[a].wire == s {
			return a, nil
		}
	}
	return 0, fmt.Errorf("%w %q", ErrUnknownAction, s)
}

// MarshalText encodes a as its wire name; an undeclared action is an error.
func (a Action) MarshalText() ([]byte, error) {
	if !a.Valid() {
		return nil, fmt.Errorf("%w: cannot marshal %v", ErrUnknownAction, a)
	}
	return []byte(actionInfo[a].wire), nil
}

// UnmarshalText decodes a wire name; an unknown name is an error and leaves
// a unchanged.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := ParseAction(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}
