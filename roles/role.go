// Package roles is the catalogue of Stripe Dashboard team roles, the
// actions on connected accounts that connectkit gates, and the policy that
// says which roles may take which action.
//
// A check is a pure, allocation-free function of the roles a user holds and
// the action asked for. It returns a Decision that says allowed or not, names
// the action, the roles held and the rule, and explains itself with a stable
// reason code and a sentence. Unknown roles grant nothing and the default is
// deny (rule P3).
//
// The default policy encodes the published rules: only the six roles of rule
// L7 may generate remediation links; only an Administrator or a Developer may
// create connected accounts (A3); sending and pulling funds need at least
// Administrator (A7, A8), which by rule P2 means Administrator, Super
// Administrator or the account owner. Where the source documents are silent
// the default grants the least privilege that matches Stripe's published
// role descriptions; each Action's documentation says which.
package roles

import (
	"fmt"

	"github.com/connectkit/connectkit/errkind"
)

// Role is one of Stripe's Dashboard team roles. The zero Role is not a role:
// it is invalid and grants nothing. Roles marshal to and from Stripe's wire
// names (for example "connect_onboarding_analyst").
type Role uint8

// The Dashboard team roles Stripe documents, in catalogue order.
const (
	// Owner is the account owner: everything, and the only role that may
	// transfer ownership. It counts as "at least Administrator" (P2).
	Owner Role = iota + 1
	// SuperAdmin is the Super Administrator: everything an Administrator
	// may do, plus assigning the Super Administrator role (P2).
	SuperAdmin
	// Admin is the Administrator: create, view, edit and reject connected
	// accounts, bank details, transfers, team management.
	Admin
	// IAMAdmin is the IAM Administrator: team membership only, no access
	// to connected accounts.
	IAMAdmin
	// Developer may create, edit and reject connected accounts, manage
	// capabilities and payout schedules; no transfers.
	Developer
	// ConnectOnboardingAnalyst may create, view and edit connected
	// accounts, capabilities, persons, and use bulk export; no reject, no
	// transfers.
	ConnectOnboardingAnalyst
	// TransferAnalyst may make transfers and reversals and view connected
	// accounts; no create or edit.
	TransferAnalyst
	// Analyst may view connected accounts only.
	Analyst
	// DataMigrationSpecialist may view connected accounts and export data;
	// no create, no capabilities.
	DataMigrationSpecialist
	// SupportAssociate may view, edit and reject connected accounts,
	// manage capabilities and payout schedules; no create, no transfers.
	SupportAssociate
	// SupportSpecialist may do what a SupportAssociate may, plus products.
	SupportSpecialist
	// SupportCommunications handles support cases only.
	SupportCommunications
	// ViewOnly has read-only access and no bulk export.
	ViewOnly
	// DisputeAnalyst manages disputes; no connected-account management.
	DisputeAnalyst
	// RefundAnalyst manages refunds; no connected-account management.
	RefundAnalyst
	// TaxAnalyst manages tax settings and reports; no connected-account
	// management.
	TaxAnalyst
	// TopupSpecialist manages balance top-ups; no connected-account
	// management.
	TopupSpecialist
	// TerminalSpecialist manages Terminal readers and locations; no
	// connected-account management.
	TerminalSpecialist
	// IdentityAnalyst reviews Identity verifications; no connected-account
	// management.
	IdentityAnalyst
	// IdentityViewOnly views Identity verifications; no connected-account
	// management.
	IdentityViewOnly
	// Accountant views financial reports; no connected-account management.
	Accountant
	// DataEngineer works with Stripe Data Pipeline and Sigma; no
	// connected-account management.
	DataEngineer
	// FinancialConnectionsSpecialist may view and disconnect Financial
	// Connections accounts and edit Financial Connections settings.
	FinancialConnectionsSpecialist

	numRoles = iota + 1 // one past the last role
)

// ErrUnknownRole is matched (with errors.Is) by the error Parse returns for a
// name that is not a Stripe Dashboard role.
var ErrUnknownRole = errkind.New(errkind.InvalidInput, "roles: unknown role")

// UnknownRoleError reports a role name that is not in the catalogue. It
// matches ErrUnknownRole.
type UnknownRoleError struct {
	// Name is the name as given.
	Name string
}

// Error implements error.
func (e *UnknownRoleError) Error() string {
	return fmt.Sprintf("roles: unknown role %q", e.Name)
}

// Unwrap returns ErrUnknownRole.
func (e *UnknownRoleError) Unwrap() error { return ErrUnknownRole }

var roleInfo = [numRoles]struct{ wire, title string }{
	Owner:                          {"owner", "Account owner"},
	SuperAdmin:                     {"super_admin", "Super Administrator"},
	Admin:                          {"admin", "Administrator"},
	IAMAdmin:                       {"iam_admin", "IAM Administrator"},
	Developer:                      {"developer", "Developer"},
	ConnectOnboardingAnalyst:       {"connect_onboarding_analyst", "Connect Onboarding Analyst"},
	TransferAnalyst:                {"transfer_analyst", "Transfer Analyst"},
	Analyst:                        {"analyst", "Analyst"},
	DataMigrationSpecialist:        {"data_migration_specialist", "Data Migration Specialist"},
	SupportAssociate:               {"support_associate", "Support Associate"},
	SupportSpecialist:              {"support_specialist", "Support Specialist"},
	SupportCommunications:          {"support_communications", "Support Communications"},
	ViewOnly:                       {"view_only", "View Only"},
	DisputeAnalyst:                 {"dispute_analyst", "Dispute Analyst"},
	RefundAnalyst:                  {"refund_analyst", "Refund Analyst"},
	TaxAnalyst:                     {"tax_analyst", "Tax Analyst"},
	TopupSpecialist:                {"topup_specialist", "Top-up Specialist"},
	TerminalSpecialist:             {"terminal_specialist", "Terminal Specialist"},
	IdentityAnalyst:                {"identity_analyst", "Identity Analyst"},
	IdentityViewOnly:               {"identity_view_only", "Identity View Only"},
	Accountant:                     {"accountant", "Accountant"},
	DataEngineer:                   {"data_engineer", "Data Engineer"},
	FinancialConnectionsSpecialist: {"financial_connections_specialist", "Financial Connections Specialist"},
}

// All returns every role in the catalogue, in catalogue order. The slice is
// new on each call.
func All() []Role {
	out := make([]Role, 0, numRoles-1)
	for r := Role(1); r < numRoles; r++ {
		out = append(out, r)
	}
	return out
}

// Valid reports whether r is a role of the catalogue.
func (r Role) Valid() bool { return r > 0 && r < numRoles }

// String returns Stripe's wire name for r, such as "admin", or
// "Role(N)" for a value outside the catalogue.
func (r Role) String() string {
	if !r.Valid() {
		return fmt.Sprintf("Role(%d)", uint8(r))
	}
	return roleInfo[r].wire
}

// Title returns the role's name as the Dashboard shows it, such as
// "Connect Onboarding Analyst".
func (r Role) Title() string {
	if !r.Valid() {
		return r.String()
	}
	return roleInfo[r].title
}

// Parse returns the role whose wire name is s. Matching is exact: Stripe's
// wire names are lower case. An unknown name is an *UnknownRoleError.
func Parse(s string) (Role, error) {
	for r := Role(1); r < numRoles; r++ {
		if roleInfo[r].wire == s {
			return r, nil
		}
	}
	return 0, &UnknownRoleError{Name: s}
}

// MarshalText encodes r as its wire name; an invalid role is an error.
func (r Role) MarshalText() ([]byte, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("%w: cannot marshal %v", ErrUnknownRole, r)
	}
	return []byte(roleInfo[r].wire), nil
}

// UnmarshalText decodes a wire name; an unknown name is an *UnknownRoleError
// and leaves r unchanged.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
