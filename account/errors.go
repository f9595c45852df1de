package account

import (
	"errors"
	"fmt"
)

// Errors callers branch on with errors.Is. Store implementations return
// ErrNotFound, ErrExists and ErrConflict (possibly wrapped); the Service and
// Decision.Err return the others.
var (
	// ErrNotFound: no account (or no platform) is stored under that key.
	ErrNotFound = errors.New("account: not found")
	// ErrExists: Create found an account (or platform) already stored.
	ErrExists = errors.New("account: already exists")
	// ErrConflict: the version passed to a conditional write is not the
	// stored one (someone else wrote first); nothing was written. Read
	// again, decide again, retry.
	ErrConflict = errors.New("account: stale version")
	// ErrRemoved: the account was removed from the platform (A6); every
	// operation on it is refused.
	ErrRemoved = errors.New("account: account removed")
	// ErrDenied: a decision did not allow the operation.
	ErrDenied = errors.New("account: operation denied")
	// ErrInvalid: the input is malformed (bad country, unknown currency,
	// non-positive amount, …).
	ErrInvalid = errors.New("account: invalid input")
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

// DeniedError is the error form of a Decision that refuses. It matches
// ErrDenied; it also matches ErrRemoved when the account is removed,
// ErrInvalid when the input was malformed, and roles.ErrDenied (with the
// *roles.DeniedError available to errors.As) when the roles held do not
// permit the operation.
type DeniedError struct {
	Decision Decision
}

// Error implements error.
func (e *DeniedError) Error() string { return "account: " + e.Decision.String() }

// Unwrap returns the sentinels the decision matches.
func (e *DeniedError) Unwrap() []error {
	errs := []error{ErrDenied}
	r := e.Decision.Reasons
	if r.Has(ReasonAccountRemoved) {
		errs = append(errs, ErrRemoved)
	}
	if r&invalidReasons != 0 {
		errs = append(errs, ErrInvalid)
	}
	if r.Has(ReasonRoleNotPermitted) {
		errs = append(errs, e.Decision.Role.Err())
	}
	return errs
}
