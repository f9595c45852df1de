// Package errkind classifies every error connectkit returns into a small,
// documented set of kinds, with one call, so that a caller (an HTTP layer,
// a retry loop, a webhook handler) can branch on what happened without
// importing every package and listing its sentinels:
//
//	switch errkind.Of(err) {
//	case errkind.Denied: // 403
//	case errkind.RateLimited: // 429, with the decision's DelayFrom(now)
//	}
//
// Each package's sentinels (links.ErrAlreadyUsed, account.ErrNotFound, …)
// carry their kind, so errors.Is with the sentinels keeps working and Of
// needs no table. It is modelled on gocloud.dev's gcerrors.Code.
package errkind

import "fmt"

// Kind is the category of an error. The zero Kind, None, is the kind of a
// nil error.
type Kind uint8

// The kinds, in no particular order; see Of for which wins when an error
// carries several.
const (
	// None: no error.
	None Kind = iota
	// InvalidInput: the caller's input is malformed or out of bounds
	// (HTTP 400). Retrying the same input fails the same way.
	InvalidInput
	// NotFound: the object named does not exist (404).
	NotFound
	// Exists: the object to create already exists (409). Retrying does not
	// help.
	Exists
	// Denied: none of the user's roles permits the action (403).
	Denied
	// NotEligible: the object is not in a state that allows the action,
	// for example a link expired or an account without a representative
	// (409 or 422). The decision says why.
	NotEligible
	// RateLimited: a limit refuses the action now and allows it later
	// (429); the decision gives the delay.
	RateLimited
	// Conflict: a concurrent write won (stale version); re-read and retry.
	Conflict
	// AlreadyUsed: a single-use object was already used (409, or a refresh
	// for an account link).
	AlreadyUsed
	// OutcomeUnknown: a fault outside connectkit's vocabulary (a storage
	// or network error, a cancelled context). A write that returned it may
	// or may not have been applied: re-read before retrying, or retry with
	// the same idempotency key. Every unclassified non-nil error has this
	// kind.
	OutcomeUnknown

	numKinds
)

var names = [numKinds]string{
	None:           "none",
	InvalidInput:   "invalid_input",
	NotFound:       "not_found",
	Exists:         "exists",
	Denied:         "denied",
	NotEligible:    "not_eligible",
	RateLimited:    "rate_limited",
	Conflict:       "conflict",
	AlreadyUsed:    "already_used",
	OutcomeUnknown: "outcome_unknown",
}

// precedence lists the kinds from the one that wins to the one that loses
// when an error carries several.
var precedence = [...]Kind{OutcomeUnknown, InvalidInput, Denied, NotFound, Exists, AlreadyUsed, Conflict, RateLimited, NotEligible}

// rank[k] is k's place in precedence; lower wins.
var rank = func() (r [numKinds]uint8) {
	for i, k := range precedence {
		r[k] = uint8(i)
	}
	r[None] = uint8(len(precedence))
	return r
}()

// Valid reports whether k is one of the declared kinds.
func (k Kind) Valid() bool { return k < numKinds }

// String returns the kind's stable snake_case code, such as "rate_limited".
func (k Kind) String() string {
	if !k.Valid() {
		return fmt.Sprintf("Kind(%d)", uint8(k))
	}
	return names[k]
}

// MarshalText encodes k as its code; an undeclared kind is an error.
func (k Kind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, &textError{fmt.Sprintf("errkind: cannot marshal %s", k)}
	}
	return []byte(names[k]), nil
}

// UnmarshalText decodes a code; an unknown code is an error and leaves k
// unchanged.
func (k *Kind) UnmarshalText(b []byte) error {
	for x := range numKinds {
		if names[x] == string(b) {
			*k = x
			return nil
		}
	}
	return &textError{fmt.Sprintf("errkind: unknown kind %q", b)}
}

// textError is the error of Kind's text methods: invalid input.
type textError struct{ msg string }

func (e *textError) Error() string   { return e.msg }
func (e *textError) ErrorKind() Kind { return InvalidInput }

// Retryable reports whether the same call may succeed if made again:
// after a re-read for Conflict and OutcomeUnknown, after the decision's
// delay for RateLimited.
func (k Kind) Retryable() bool {
	return k == Conflict || k == RateLimited || k == OutcomeUnknown
}

// Kinded is implemented by errors that know their kind: every sentinel
// made with New, and typed errors that carry a decision.
type Kinded interface {
	error
	// ErrorKind returns the error's kind.
	ErrorKind() Kind
}

// sentinel is the error New returns.
type sentinel struct {
	kind Kind
	msg  string
}

func (e *sentinel) Error() string   { return e.msg }
func (e *sentinel) ErrorKind() Kind { return e.kind }

// New returns a new sentinel error of kind k with the message msg, for a
// package's exported ErrX values. Each call returns a distinct error, so
// errors.Is tells sentinels apart as errors.New's do.
func New(k Kind, msg string) error { return &sentinel{kind: k, msg: msg} }

// maxDepth bounds the walk of an error tree, so that a cyclic or absurdly
// deep chain cannot hang Of.
const maxDepth = 64

// Of returns the kind of err: None for nil; otherwise the kind of every
// Kinded error in err's tree (through Unwrap() error and Unwrap() []error),
// and when several differ, the first in this order wins:
//
//	OutcomeUnknown, InvalidInput, Denied, NotFound, Exists,
//	AlreadyUsed, Conflict, RateLimited, NotEligible
//
// A fault wins because the caller must settle it first; malformed input
// before a role denial, as a request is parsed before it is authorized; a
// role denial before anything about the object, so that a user who may not
// act learns nothing of its state; a time limit before ineligibility only
// when both hold, since both block. A non-nil error with no kind in its
// tree (a driver error, io.ErrUnexpectedEOF, a cancelled context) is
// OutcomeUnknown.
func Of(err error) Kind {
	if err == nil {
		return None
	}
	best := None
	walk(err, 0, &best)
	if best == None {
		return OutcomeUnknown
	}
	return best
}

func walk(err error, depth int, best *Kind) {
	if err == nil || depth > maxDepth {
		return
	}
	if k, ok := err.(Kinded); ok {
		if kind := k.ErrorKind(); kind.Valid() && kind != None && rank[kind] < rank[*best] {
			*best = kind
		}
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		walk(u.Unwrap(), depth+1, best)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walk(e, depth+1, best)
		}
	}
}

// Is reports whether Of(err) is k.
func Is(err error, k Kind) bool { return Of(err) == k }

// compile-time check that sentinels satisfy Kinded.
var _ Kinded = (*sentinel)(nil)
