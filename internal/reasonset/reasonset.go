// Package reasonset is the one implementation of a set of decision reasons
// that every connectkit package shares: a bitset over a package's own
// Reason enum, so that hot checks do not allocate, with one JSON shape.
//
// Each package declares its Reason type (a uint8 enum with Code, Rule and
// String) and aliases Set over it:
//
//	type Reasons = reasonset.Set[Reason]
package reasonset

import (
	"encoding/json"
	"fmt"
	"iter"
	"math/bits"
	"strings"

	"github.com/connectkit/connectkit/errkind"
)

// Reason is what a package's reason enum provides: a small unsigned value
// (1 to 63; zero is "no reason") that knows whether it is declared, with a
// stable snake_case code, the ID of the rule it enforces, and a sentence a
// person can read.
type Reason interface {
	~uint8
	// Valid reports whether the value is a declared reason.
	Valid() bool
	// Code is the stable snake_case code, such as "link_expired".
	Code() string
	// Rule is the catalogue rule the reason enforces, such as "L1".
	Rule() string
	// String is a sentence a person can read.
	String() string
}

// MaxReason is the largest reason value a Set can hold.
const MaxReason = 63

// Set is a set of reasons of one package, as a bitset. The zero value is
// the empty set. Reasons the package does not declare are never added.
type Set[R Reason] uint64

// valid reports whether r can be a member: declared (a non-empty code) and
// within the bitset.
func valid[R Reason](r R) bool { return r > 0 && uint8(r) <= MaxReason && r.Valid() }

// Of returns the set holding rs; undeclared values are left out.
func Of[R Reason](rs ...R) Set[R] {
	var s Set[R]
	for _, r := range rs {
		s = s.With(r)
	}
	return s
}

// With returns s plus r; an undeclared r leaves s as it is.
func (s Set[R]) With(r R) Set[R] {
	if !valid(r) {
		return s
	}
	return s | 1<<uint8(r)
}

// Union returns the reasons in s or t.
func (s Set[R]) Union(t Set[R]) Set[R] { return s | t }

// Without returns s less r.
func (s Set[R]) Without(r R) Set[R] {
	if uint8(r) > MaxReason {
		return s
	}
	return s &^ (1 << uint8(r))
}

// Has reports whether s holds r.
func (s Set[R]) Has(r R) bool { return r > 0 && uint8(r) <= MaxReason && s&(1<<uint8(r)) != 0 }

// Empty reports whether s holds no reason.
func (s Set[R]) Empty() bool { return s == 0 }

// Len returns the number of reasons in s.
func (s Set[R]) Len() int { return bits.OnesCount64(uint64(s)) }

// All iterates over the reasons in s in ascending order (the package's
// declaration order), without allocating.
func (s Set[R]) All() iter.Seq[R] {
	return func(yield func(R) bool) {
		for rest := uint64(s); rest != 0; rest &= rest - 1 {
			if !yield(R(bits.TrailingZeros64(rest))) {
				return
			}
		}
	}
}

// Slice returns the reasons in s in ascending order, as a new slice.
func (s Set[R]) Slice() []R {
	out := make([]R, 0, s.Len())
	for r := range s.All() {
		out = append(out, r)
	}
	return out
}

// Codes returns the codes of the reasons in s in ascending order.
func (s Set[R]) Codes() []string {
	out := make([]string, 0, s.Len())
	for r := range s.All() {
		out = append(out, r.Code())
	}
	return out
}

// Rules returns the distinct rule IDs the reasons in s enforce, in
// ascending reason order.
func (s Set[R]) Rules() []string {
	var out []string
	for r := range s.All() {
		rule := r.Rule()
		seen := false
		for _, x := range out {
			seen = seen || x == rule
		}
		if !seen && rule != "" {
			out = append(out, rule)
		}
	}
	return out
}

// String lists the codes in s, comma-separated, or "none".
func (s Set[R]) String() string {
	if s == 0 {
		return "none"
	}
	return strings.Join(s.Codes(), ",")
}

// Item is one reason as it appears in JSON: the code, the rule it
// enforces, and its sentence.
type Item struct {
	// Code is the reason's stable snake_case code.
	Code string `json:"code"`
	// Rule is the catalogue rule ID (see RULES.md), such as "L8".
	Rule string `json:"rule"`
	// Message is the reason's sentence.
	Message string `json:"message"`
}

// Items returns s as JSON items, in ascending order; an empty set gives an
// empty, non-nil slice so that it encodes as [].
func (s Set[R]) Items() []Item {
	out := make([]Item, 0, s.Len())
	for r := range s.All() {
		out = append(out, Item{Code: r.Code(), Rule: r.Rule(), Message: r.String()})
	}
	return out
}

// MarshalJSON encodes s as an array of {code, rule, message} objects.
func (s Set[R]) MarshalJSON() ([]byte, error) { return json.Marshal(s.Items()) }

// ErrUnknownCode is returned (wrapped) when a code names no reason. Its
// kind is errkind.InvalidInput.
var ErrUnknownCode = errkind.New(errkind.InvalidInput, "unknown reason code")

// ErrMalformed is returned (wrapped) by UnmarshalJSON for input that is not
// an array of reasons, or holds more than MaxReason of them. Its kind is
// errkind.InvalidInput.
var ErrMalformed = errkind.New(errkind.InvalidInput, "malformed reasons")

// Parse returns the reason whose code is code.
func Parse[R Reason](code string) (R, error) {
	for i := 1; i <= MaxReason; i++ {
		if r := R(i); r.Valid() && r.Code() == code {
			return r, nil
		}
	}
	var zero R
	return zero, fmt.Errorf("%w %q", ErrUnknownCode, code)
}

// maxItems bounds the array UnmarshalJSON reads: a set has at most
// MaxReason members, and repeats are allowed once each.
const maxItems = MaxReason

// UnmarshalJSON decodes an array of reason objects (only code is read; the
// rule and message follow from it) or of bare code strings. An unknown
// code is an error and leaves s unchanged.
func (s *Set[R]) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("reasons: %w: %w", ErrMalformed, err)
	}
	if len(raw) > maxItems {
		return fmt.Errorf("reasons: %w: %d items, more than %d", ErrMalformed, len(raw), maxItems)
	}
	var out Set[R]
	for _, m := range raw {
		var code string
		if len(m) > 0 && m[0] == '"' {
			if err := json.Unmarshal(m, &code); err != nil {
				return fmt.Errorf("reasons: %w: %w", ErrMalformed, err)
			}
		} else {
			var it Item
			if err := json.Unmarshal(m, &it); err != nil {
				return fmt.Errorf("reasons: %w: %w", ErrMalformed, err)
			}
			code = it.Code
		}
		r, err := Parse[R](code)
		if err != nil {
			return fmt.Errorf("reasons: %w", err)
		}
		out = out.With(r)
	}
	*s = out
	return nil
}
