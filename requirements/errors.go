package requirements

import (
	"fmt"

	"github.com/connectkit/connectkit/errkind"
)

// Sentinel errors callers can branch on with errors.Is.
var (
	// ErrInvalid reports a caller mistake: an invalid field name, status,
	// entry, collection scope or error value.
	ErrInvalid = errkind.New(errkind.InvalidInput, "requirements: invalid")
	// ErrUnknownField reports a transition on a field the set does not hold.
	ErrUnknownField = errkind.New(errkind.NotFound, "requirements: unknown field")
	// ErrIllegalTransition reports a transition that the lifecycle rules
	// (Q7) do not allow from the field's current status.
	ErrIllegalTransition = errkind.New(errkind.NotEligible, "requirements: illegal transition")
	// ErrMalformed reports JSON that DecodeV1, DecodeV2 or
	// Set.UnmarshalJSON cannot accept: wrong JSON types, an absurd
	// timestamp, a value over a limit, an object of the wrong kind.
	ErrMalformed = errkind.New(errkind.InvalidInput, "requirements: malformed requirements JSON")
	// ErrWrongObject reports a well-formed JSON object that is not what
	// the decoder reads (an event envelope, a customer, an empty object
	// where an account is expected). It comes wrapped in a
	// *WrongObjectError, which also matches ErrMalformed.
	ErrWrongObject = errkind.New(errkind.InvalidInput, "requirements: not a requirements object")
)

// WrongObjectError says what a decoder expected and what it saw instead.
// It unwraps to ErrWrongObject and ErrMalformed.
type WrongObjectError struct {
	// Decoder is "v1" or "v2".
	Decoder string
	// Want says what the decoder reads.
	Want string
	// Seen describes the input: its "object" value, or its members.
	Seen string
	// Hint says what to do instead, if anything.
	Hint string
}

// Error implements error.
func (e *WrongObjectError) Error() string {
	s := "requirements: " + e.Decoder + ": want " + e.Want + ", saw " + e.Seen
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Unwrap returns ErrWrongObject and ErrMalformed.
func (e *WrongObjectError) Unwrap() []error { return []error{ErrWrongObject, ErrMalformed} }

// TransitionError says why a lifecycle transition was refused: which rule,
// which field, from which status. It unwraps to ErrIllegalTransition or
// ErrUnknownField. A refused transition leaves the set unchanged.
type TransitionError struct {
	// Op is the transition asked for: "submit", "verification_succeeded"
	// or "verification_failed".
	Op string
	// Rule is the rule ID that forbids it, e.g. "Q7".
	Rule string
	// Field is the requirement's field name.
	Field string
	// From is the field's status at the time (empty for an unknown field).
	From Status
	// Err is ErrIllegalTransition or ErrUnknownField.
	Err error
}

// Error implements error.
func (e *TransitionError) Error() string {
	if e.From == "" {
		return fmt.Sprintf("requirements: %s %q: %s: field not held (rule %s)", e.Op, e.Field, errText(e.Err), e.Rule)
	}
	return fmt.Sprintf("requirements: %s %q: not allowed from %s (rule %s)", e.Op, e.Field, e.From, e.Rule)
}

// Unwrap returns the sentinel.
func (e *TransitionError) Unwrap() error { return e.Err }

func errText(err error) string {
	switch err {
	case ErrUnknownField:
		return "unknown field"
	case ErrIllegalTransition:
		return "illegal transition"
	}
	return "error"
}

// InvalidError says which value was invalid and why. It unwraps to ErrInvalid.
type InvalidError struct {
	// What names the value, e.g. "field", "entry", "collection.fields".
	What string
	// Value is the offending value, verbatim.
	Value string
	// Why is a short lower-case explanation.
	Why string
}

// Error implements error.
func (e *InvalidError) Error() string {
	return fmt.Sprintf("requirements: invalid %s %q: %s", e.What, e.Value, e.Why)
}

// Unwrap returns ErrInvalid.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

func invalid(what, value, why string) error { return &InvalidError{What: what, Value: value, Why: why} }

// DecodeError locates malformed input: the hash (e.g. "requirements" or
// "capability card_payments future_requirements") and the member (e.g.
// "errors[3].reason"), and why. It unwraps to ErrMalformed and to the
// underlying JSON or validation error, so a bad value also matches
// ErrInvalid.
type DecodeError struct {
	// Encoding is "v1", "v2" or "set" (Set.UnmarshalJSON).
	Encoding string
	// Hash names the hash, or "" for the enclosing object.
	Hash string
	// Member is the JSON member, e.g. "current_deadline" or "errors"
	// (or the name of an unknown member that cannot be kept).
	Member string
	// Err is what was wrong.
	Err error
}

// Error implements error.
func (e *DecodeError) Error() string {
	prefix := "requirements: malformed " + e.Encoding + " requirements"
	if e.Encoding == "set" {
		prefix = "requirements: malformed set encoding"
	}
	where := e.Member
	if e.Hash != "" {
		where = e.Hash + "." + e.Member
	}
	if where == "" {
		return prefix + ": " + trimPrefix(e.Err.Error())
	}
	return prefix + ": " + where + ": " + trimPrefix(e.Err.Error())
}

// Unwrap returns ErrMalformed and the underlying error.
func (e *DecodeError) Unwrap() []error { return []error{ErrMalformed, e.Err} }

func trimPrefix(s string) string {
	const p = "requirements: "
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
