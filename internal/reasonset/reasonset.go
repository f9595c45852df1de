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

// Table answers a package's Reason methods from the package's own table of
// declarations, so that every package's Valid, Code, Rule, String,
// MarshalText and UnmarshalText behave alike and are one line each. Build it
// once, in a package-level variable, with NewTable. A package's Valid
// should compare with its own constant bound rather than call the Table:
// package-level sets built with Of (which calls Valid) may be initialised
// before the Table, since Go cannot see that dependency.
type Table[R ~uint8] struct {
	items  []Item
	refuse func(code string) error
}

// NewTable describes the reasons 1 to n-1 with describe, which returns each
// one's code, rule and sentence (without the rule). refuse makes the error
// for a code MarshalText or UnmarshalText refuses: the package's
// invalid-input error, holding the code.
func NewTable[R ~uint8](n R, describe func(R) (code, rule, text string), refuse func(code string) error) Table[R] {
	t := Table[R]{items: make([]Item, n), refuse: refuse}
	for r := R(1); r < n; r++ {
		code, rule, text := describe(r)
		t.items[r] = Item{Code: code, Rule: rule, Message: text}
	}
	return t
}

// Valid reports whether r is a declared reason.
func (t Table[R]) Valid(r R) bool { return r > 0 && int(r) < len(t.items) }

// Code returns r's stable snake_case code; "none" for the zero reason and
// "Reason(N)" for an undeclared one.
func (t Table[R]) Code(r R) string {
	switch {
	case r == 0:
		return "none"
	case !t.Valid(r):
		return fmt.Sprintf("Reason(%d)", uint8(r))
	}
	return t.items[r].Code
}

// Rule returns the ID of the rule r enforces; empty when r is undeclared.
func (t Table[R]) Rule(r R) string {
	if !t.Valid(r) {
		return ""
	}
	return t.items[r].Rule
}

// String returns r's sentence followed by its rule, as "… (L8)"; the code
// when r is undeclared.
func (t Table[R]) String(r R) string {
	if !t.Valid(r) {
		return t.Code(r)
	}
	return t.items[r].Message + " (" + t.items[r].Rule + ")"
}

// MarshalText encodes r as its code; an undeclared r is refused.
func (t Table[R]) MarshalText(r R) ([]byte, error) {
	if !t.Valid(r) {
		return nil, t.refuse(t.Code(r))
	}
	return []byte(t.items[r].Code), nil
}

// UnmarshalText decodes a code into *r; an unknown code is refused and
// leaves *r unchanged.
func (t Table[R]) UnmarshalText(r *R, b []byte) error {
	for x := 1; x < len(t.items); x++ {
		if t.items[x].Code == string(b) {
			*r = R(x)
			return nil
		}
	}
	return t.refuse(string(b))
}
