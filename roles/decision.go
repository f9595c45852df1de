package roles

import (
	"fmt"
	"math/bits"
	"strings"
)

// Reason is the stable, machine-readable ground of a Decision.
type Reason uint8

// The reasons a check gives.
const (
	// ReasonPermitted: one of the roles held is granted the action.
	ReasonPermitted Reason = iota + 1
	// ReasonNoRoles: the user holds no known role (P3).
	ReasonNoRoles
	// ReasonNotPermitted: none of the roles held is granted the action.
	ReasonNotPermitted
	// ReasonUnknownAction: the action is not declared (P3).
	ReasonUnknownAction
)

var reasonCodes = [...]string{
	ReasonPermitted:     "role_permitted",
	ReasonNoRoles:       "no_roles",
	ReasonNotPermitted:  "role_not_permitted",
	ReasonUnknownAction: "unknown_action",
}

// Code returns the reason's stable snake_case code, such as
// "role_not_permitted".
func (r Reason) Code() string {
	if int(r) >= len(reasonCodes) || r == 0 {
		return fmt.Sprintf("Reason(%d)", uint8(r))
	}
	return reasonCodes[r]
}

// String returns Code().
func (r Reason) String() string { return r.Code() }

// Decision is the outcome of a permission check: whether Action is allowed
// for a user holding Held, and why. It is a value; computing it does not
// allocate, and its explanation — the Reason, the granting role (By) and the
// sentence (String) — is derived from the four fields when asked for, so
// that a check costs no more than the bit test it is built on. The zero
// Decision allows nothing and has no Reason.
type Decision struct {
	// Held is the set of known roles the user holds.
	Held Set
	// permitted is the set of roles the policy grants Action to, with
	// bit 0 (no role's bit) set when a policy made the decision: the zero
	// Decision has no reason. Four fields: the compiler keeps the value
	// in registers.
	permitted Set
	// Action is the action asked for.
	Action Action
	// Allowed reports whether the action may be taken.
	Allowed bool
}

// decided marks, in Decision.permitted, a decision a policy made. Bit 0 is
// no role's: knownRoles leaves it out.
const decided Set = 1

// Reason returns the ground of the decision: ReasonPermitted when allowed,
// ReasonUnknownAction for an undeclared action, ReasonNoRoles when no known
// role is held, ReasonNotPermitted otherwise, and zero for the zero
// Decision.
func (d Decision) Reason() Reason {
	switch {
	case d.permitted&decided == 0:
		return 0
	case !d.Action.Valid():
		return ReasonUnknownAction
	case d.Allowed:
		return ReasonPermitted
	case d.Held&knownRoles == 0:
		return ReasonNoRoles
	}
	return ReasonNotPermitted
}

// By returns the first role, in catalogue order, that grants the action;
// zero when denied.
func (d Decision) By() Role {
	by := d.Held & d.permitted & knownRoles
	if !d.Allowed || by == 0 {
		return 0
	}
	// A role's bit is its value: the first in catalogue order is the
	// lowest bit.
	return Role(bits.TrailingZeros32(uint32(by)))
}

// Rule returns the ID of the rule that decided, such as "L7".
func (d Decision) Rule() string { return d.Action.Rule() }

// Permitted returns the roles the policy grants the action to.
func (d Decision) Permitted() Set { return d.permitted &^ decided }

// String returns one sentence a person can read, naming the roles, the
// action and the rule.
func (d Decision) String() string {
	verb := "take an undeclared action"
	if d.Action.Valid() {
		verb = actionInfo[d.Action].verb
	}
	switch d.Reason() {
	case ReasonPermitted:
		return fmt.Sprintf("%s may %s (%s)", d.By().Title(), verb, d.Rule())
	case ReasonNoRoles:
		return fmt.Sprintf("a user with no role may not %s (P3: default deny)", verb)
	case ReasonNotPermitted:
		return fmt.Sprintf("%s may not %s (%s: allowed to %s)", titles(d.Held), verb, d.Rule(), titles(d.Permitted()))
	case ReasonUnknownAction:
		return fmt.Sprintf("%v is not a declared action (P3: default deny)", d.Action)
	}
	return "no decision (P3: default deny)"
}

// Err returns nil when the decision allows its action, and otherwise a
// *DeniedError matching ErrDenied.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return &DeniedError{Decision: d}
}

func titles(s Set) string {
	if s.Empty() {
		return "no role"
	}
	parts := make([]string, 0, s.Len())
	for r := range s.All() {
		parts = append(parts, r.Title())
	}
	return strings.Join(parts, ", ")
}

// DeniedError is the error form of a Decision that denies. It matches
// ErrDenied.
type DeniedError struct {
	Decision Decision
}

// Error implements error.
func (e *DeniedError) Error() string { return "roles: " + e.Decision.String() }

// Unwrap returns ErrDenied.
func (e *DeniedError) Unwrap() error { return ErrDenied }
