package account

import (
	"fmt"

	"github.com/connectkit/connectkit/errkind"
)

// Errors callers branch on with errors.Is, each carrying its errkind.Kind so
// that errkind.Of classifies any error of this package with one call. Store
// implementations return ErrNotFound, ErrExists, ErrConflict and ErrInvalid
// (possibly wrapped); the Service and Decision.Err return the others.
var (
	// ErrNotFound: no account (or no platform, or no receipt) is stored
	// under that key. Kind NotFound.
	ErrNotFound = errkind.New(errkind.NotFound, "account: not found")
	// ErrExists: Create found an account (or platform) already stored.
	// Kind Exists.
	ErrExists = errkind.New(errkind.Exists, "account: already exists")
	// ErrConflict: the version passed to a conditional write is not the
	// stored one (someone else wrote first); nothing was written. Read
	// again, decide again, retry. Kind Conflict.
	ErrConflict = errkind.New(errkind.Conflict, "account: stale version")
	// ErrRemoved: the account was removed from the platform (A6); every
	// operation on it is refused. Kind NotEligible.
	ErrRemoved = errkind.New(errkind.NotEligible, "account: account removed")
	// ErrDenied: none of the user's roles permits the operation (the
	// action's rule: A3, A5–A10). Kind Denied.
	ErrDenied = errkind.New(errkind.Denied, "account: permission denied")
	// ErrNotEligible: the account, the platform or the amount does not
	// allow the operation; the Decision's Reasons say why. Kind
	// NotEligible.
	ErrNotEligible = errkind.New(errkind.NotEligible, "account: not eligible")
	// ErrInvalid: the input is malformed (bad country, unknown currency,
	// non-positive amount, …). Kind InvalidInput.
	ErrInvalid = errkind.New(errkind.InvalidInput, "account: invalid input")
	// ErrNoStore: the Service has no Store. Kind InvalidInput.
	ErrNoStore = errkind.New(errkind.InvalidInput, "account: service has no store")
)

// RuleError says which rule and which field an input broke. It wraps a
// sentinel (usually ErrInvalid) and never carries the offending value, so
// personal data cannot leak through error messages.
type RuleError struct {
	Rule  string // the catalogue rule, such as "A1"
	Field string // the Go field path, such as "Representative.DOB"
	Err   error  // the sentinel it matches
}

// Error implements error.
func (e *RuleError) Error() string {
	return fmt.Sprintf("account: %s: field %s: %v", e.Rule, e.Field, unprefixed(e.Err))
}

// Unwrap returns the wrapped sentinel.
func (e *RuleError) Unwrap() error { return e.Err }

func unprefixed(err error) string {
	if err == nil {
		return "<nil>"
	}
	s := err.Error()
	const p = "account: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// DecisionError is the error form of a Decision that refuses. It matches
// ErrDenied, roles.ErrDenied and the role decision's *roles.DeniedError
// (errors.As) when the roles held do not permit the operation; ErrNotEligible
// when a reason refuses; ErrRemoved when the account is removed; and
// ErrInvalid when the input was malformed. errkind.Of gives InvalidInput,
// then Denied, then NotEligible, in that precedence.
type DecisionError struct {
	Decision Decision // the refusing decision, with every reason
}

// Error implements error.
func (e *DecisionError) Error() string { return "account: " + e.Decision.String() }

// Unwrap returns the sentinels the decision matches.
func (e *DecisionError) Unwrap() []error {
	var errs []error
	d := e.Decision
	if d.Role.Action != 0 && !d.Role.Allowed {
		errs = append(errs, ErrDenied, d.Role.Err())
	}
	r := d.Reasons
	if !r.Empty() {
		errs = append(errs, ErrNotEligible)
	}
	if r.Has(ReasonAccountRemoved) {
		errs = append(errs, ErrRemoved)
	}
	if r&invalidReasons != 0 {
		errs = append(errs, ErrInvalid)
	}
	if len(errs) == 0 {
		// The zero Decision: nothing was decided, nothing is allowed.
		errs = append(errs, ErrNotEligible)
	}
	return errs
}
