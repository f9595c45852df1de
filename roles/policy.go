package roles

import (
	"fmt"
	"sort"

	"github.com/connectkit/connectkit/errkind"
)

// Errors callers branch on with errors.Is.
var (
	// ErrDenied is matched by the error of a Decision that does not allow
	// its action.
	ErrDenied = errkind.New(errkind.Denied, "roles: permission denied")
	// ErrUnknownAction is matched by errors for an action name or value
	// that is not declared.
	ErrUnknownAction = errkind.New(errkind.InvalidInput, "roles: unknown action")
	// ErrInvalidPolicy is matched by the errors NewPolicy and ParsePolicy
	// return for a table they refuse.
	ErrInvalidPolicy = errkind.New(errkind.InvalidInput, "roles: invalid policy")
	// ErrMalformed (kind InvalidInput) is matched by the errors of
	// Decision.UnmarshalJSON and Set.UnmarshalJSON for JSON they refuse:
	// the wrong JSON types, or a decision that contradicts itself.
	ErrMalformed = errkind.New(errkind.InvalidInput, "roles: malformed JSON")
)

// Policy says which roles may take which action. It is a small value type,
// safe for concurrent use, and immutable once built.
//
// The zero Policy grants nothing: every check is denied. Use Default for
// the published rules, or NewPolicy for a table of your own.
type Policy struct {
	grants [numActions]Set
}

var defaultPolicy = func() Policy {
	atLeastAdmin := NewSet(Owner, SuperAdmin, Admin)
	remediation := NewSet(Admin, ConnectOnboardingAnalyst, Developer,
		DataMigrationSpecialist, SupportAssociate, SupportSpecialist)
	var p Policy
	p.grants[CreateConnectedAccount] = atLeastAdmin.With(Developer)
	p.grants[SendFunds] = atLeastAdmin
	p.grants[PullFunds] = atLeastAdmin
	p.grants[GenerateRemediationLink] = remediation
	p.grants[ExportRemediationLinks] = remediation
	p.grants[AcknowledgeSecurityCheck] = remediation.Intersect(atLeastAdmin)
	p.grants[ResetRemediationLink] = remediation
	p.grants[RequestRelink] = atLeastAdmin.With(FinancialConnectionsSpecialist)
	p.grants[RemoveAccount] = atLeastAdmin
	p.grants[EditAccountInformation] = atLeastAdmin.Union(NewSet(Developer,
		ConnectOnboardingAnalyst, SupportAssociate, SupportSpecialist))
	p.grants[EditPayoutSchedule] = atLeastAdmin.Union(NewSet(Developer,
		SupportAssociate, SupportSpecialist))
	p.grants[ViewSupportCases] = atLeastAdmin.With(SupportCommunications)
	p.grants[ViewConnectedAccount] = atLeastAdmin.Union(NewSet(Developer,
		ConnectOnboardingAnalyst, TransferAnalyst, Analyst,
		DataMigrationSpecialist, SupportAssociate, SupportSpecialist, ViewOnly))
	return p
}()

// Default returns the published policy: the rules of the catalogue (A3, A7,
// A8, L7, P2) exactly, and least privilege where the sources are silent, as
// each Action's documentation says.
func Default() Policy { return defaultPolicy }

// Grant is one row of a policy table: the roles that may take an action.
type Grant struct {
	Action Action
	Roles  Set
}

// NewPolicy builds a policy from an explicit table. A row whose action is
// not declared, a row that names an action already given, or a Set holding a
// bit that is not a role is an error matching ErrInvalidPolicy; nothing is
// silently ignored. Actions without a row are denied to everyone.
func NewPolicy(table []Grant) (Policy, error) {
	var p Policy
	var seen [numActions]bool
	for i, g := range table {
		if !g.Action.Valid() {
			return Policy{}, fmt.Errorf("%w: row %d: %w: %v", ErrInvalidPolicy, i, ErrUnknownAction, g.Action)
		}
		if seen[g.Action] {
			return Policy{}, fmt.Errorf("%w: row %d: action %v given twice", ErrInvalidPolicy, i, g.Action)
		}
		if g.Roles&^knownRoles != 0 {
			return Policy{}, fmt.Errorf("%w: row %d: %w: roles set %#x holds values outside the catalogue", ErrInvalidPolicy, i, ErrUnknownRole, uint32(g.Roles&^knownRoles))
		}
		seen[g.Action] = true
		p.grants[g.Action] = g.Roles
	}
	return p, nil
}

// ParsePolicy builds a policy from wire names, as a configuration file would
// hold them: action name to role names. An unknown action or role name is an
// error matching both ErrInvalidPolicy and ErrUnknownAction or
// ErrUnknownRole.
func ParsePolicy(table map[string][]string) (Policy, error) {
	names := make([]string, 0, len(table))
	for n := range table {
		names = append(names, n)
	}
	sort.Strings(names) // deterministic: the first error reported is stable
	grants := make([]Grant, 0, len(table))
	for _, n := range names {
		a, err := ParseAction(n)
		if err != nil {
			return Policy{}, fmt.Errorf("%w: %w", ErrInvalidPolicy, err)
		}
		s, err := ParseSet(table[n]...)
		if err != nil {
			return Policy{}, fmt.Errorf("%w: action %s: %w", ErrInvalidPolicy, n, err)
		}
		grants = append(grants, Grant{Action: a, Roles: s})
	}
	return NewPolicy(grants)
}

// Table returns the policy as rows, one per declared action in declaration
// order, so that NewPolicy(p.Table()) decides exactly as p.
func (p Policy) Table() []Grant {
	out := make([]Grant, 0, numActions-1)
	for a := Action(1); a < numActions; a++ {
		out = append(out, Grant{Action: a, Roles: p.grants[a]})
	}
	return out
}

// Allowed returns the roles that may take action a under p.
func (p Policy) Allowed(a Action) Set {
	if !a.Valid() {
		return 0
	}
	return p.grants[a]
}

// Check decides whether a user holding the roles in held may take action a.
// It does not allocate. Unknown roles grant nothing and an undeclared action
// is denied (P3); a user with several roles is allowed when any of them is.
func (p Policy) Check(held Set, a Action) Decision {
	// Small enough to inline, and four fields: the caller gets the
	// decision in registers, and what it does not read is never computed.
	// The explanation (Reason, By, String) is derived when asked for.
	held &= knownRoles
	if !a.Valid() {
		return Decision{Held: held, permitted: decided, Action: a}
	}
	if held == 0 {
		return Decision{permitted: decided, Action: a}
	}
	permitted := p.grants[a]
	return Decision{Held: held, permitted: permitted | decided, Action: a, Allowed: held&permitted != 0}
}

// Check is shorthand for Default().Check(held, a).
func Check(held Set, a Action) Decision { return defaultPolicy.Check(held, a) }
