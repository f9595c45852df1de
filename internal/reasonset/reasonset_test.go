package reasonset_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/internal/reasonset"
)

type reason uint8

const (
	alpha reason = iota + 1
	beta
	gamma
	high reason = 63
)

func (r reason) Code() string {
	switch r {
	case alpha:
		return "alpha"
	case beta:
		return "beta"
	case gamma:
		return "gamma"
	case high:
		return "high"
	}
	return ""
}
func (r reason) Valid() bool { return r.Code() != "" }
func (r reason) Rule() string {
	return map[reason]string{alpha: "L1", beta: "L1", gamma: "K3", high: "A6"}[r]
}
func (r reason) String() string { return r.Code() + " happened" }

type set = reasonset.Set[reason]

func TestSet(t *testing.T) {
	s := reasonset.Of(gamma, alpha, reason(9), high)
	if got, want := s.Codes(), []string{"alpha", "gamma", "high"}; !cmp.Equal(got, want) {
		t.Fatalf("Codes = %v, want %v (undeclared 9 must be left out)", got, want)
	}
	if s.Len() != 3 || !s.Has(alpha) || s.Has(beta) || s.Has(reason(9)) || s.Has(reason(200)) {
		t.Fatalf("membership wrong: %v", s)
	}
	if got := s.Without(alpha).Without(reason(200)); got.Has(alpha) || got.Len() != 2 {
		t.Fatalf("Without: %v", got)
	}
	if got, want := s.Rules(), []string{"L1", "K3", "A6"}; !cmp.Equal(got, want) {
		t.Fatalf("Rules = %v, want %v", got, want)
	}
	if got := set(0).String(); got != "none" || !set(0).Empty() {
		t.Fatalf("empty set prints %q", got)
	}
	if got := s.Union(reasonset.Of(beta)).String(); got != "alpha,beta,gamma,high" {
		t.Fatalf("Union = %s", got)
	}
	n := 0
	for range s.All() {
		n++
		break
	}
	if n != 1 {
		t.Fatal("All does not stop when asked")
	}
}

func TestSetJSON(t *testing.T) {
	for _, s := range []set{0, reasonset.Of(alpha), reasonset.Of(alpha, gamma, high)} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back set
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if back != s {
			t.Fatalf("%s round-tripped to %v, want %v", b, back, s)
		}
	}
	b, _ := json.Marshal(reasonset.Of(gamma))
	if want := `[{"code":"gamma","rule":"K3","message":"gamma happened"}]`; string(b) != want {
		t.Fatalf("JSON %s, want %s", b, want)
	}
	var s set
	if err := json.Unmarshal([]byte(`["beta"]`), &s); err != nil || s != reasonset.Of(beta) {
		t.Fatalf("bare codes: %v %v", s, err)
	}
	s = reasonset.Of(alpha)
	for _, bad := range []string{`[{"code":"delta"}]`, `{}`, `[1]`, `[` + string(make([]byte, 0)) + `]x`} {
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("%s accepted", bad)
		}
		if s != reasonset.Of(alpha) {
			t.Errorf("%s changed the set to %v", bad, s)
		}
	}
	if _, err := reasonset.Parse[reason]("delta"); !errors.Is(err, reasonset.ErrUnknownCode) {
		t.Fatalf("Parse unknown: %v", err)
	}
}

func TestSetAllocationFree(t *testing.T) {
	s := reasonset.Of(alpha, gamma)
	allocs := testing.AllocsPerRun(100, func() {
		s2 := s.With(beta)
		for r := range s2.All() {
			_ = r
		}
		_ = s2.Has(gamma) && s2.Len() == 3
	})
	if allocs != 0 {
		t.Fatalf("%v allocations", allocs)
	}
}

// A set decoded on its own (a package's exported Reasons type) refuses bad
// input with an error errkind.Of classifies as invalid input, like every
// other connectkit decoder, not as an unknown fault.
func TestSetJSON_RefusalsAreInvalidInput(t *testing.T) {
	for _, bad := range []string{`[{"code":"delta"}]`, `["delta"]`, `{}`, `[1]`, `[{"code":7}]`,
		`[` + strings.Repeat(`"alpha",`, reasonset.MaxReason) + `"alpha"]`} {
		var s reasonset.Set[reason]
		err := json.Unmarshal([]byte(bad), &s)
		if got := errkind.Of(err); got != errkind.InvalidInput {
			t.Errorf("%.40s: errkind.Of(%v) = %v, want invalid_input", bad, err, got)
		}
	}
	if _, err := reasonset.Parse[reason]("delta"); errkind.Of(err) != errkind.InvalidInput {
		t.Errorf("Parse unknown: %v is %v", err, errkind.Of(err))
	}
}

// The Table behind every package's Reason methods: codes, rules and
// sentences from the declarations; zero is "none"; text round trips and
// refusals go through the package's own error and leave the value as it was.
func TestTable(t *testing.T) {
	errBad := errkind.New(errkind.InvalidInput, "test: bad reason")
	tab := reasonset.NewTable(reason(3),
		func(r reason) (string, string, string) { return r.Code(), r.Rule(), r.Code() + " happened" },
		func(code string) error { return fmt.Errorf("%w %q", errBad, code) })
	for _, tc := range []struct {
		r                  reason
		valid              bool
		code, rule, string string
	}{
		{0, false, "none", "", "none"},
		{alpha, true, "alpha", "L1", "alpha happened (L1)"},
		{beta, true, "beta", "L1", "beta happened (L1)"},
		{gamma, false, "Reason(3)", "", "Reason(3)"},
	} {
		if got := [...]any{tab.Valid(tc.r), tab.Code(tc.r), tab.Rule(tc.r), tab.String(tc.r)}; got != [...]any{tc.valid, tc.code, tc.rule, tc.string} {
			t.Errorf("reason %d: got %v", tc.r, got)
		}
		b, err := tab.MarshalText(tc.r)
		if !tc.valid {
			if !errors.Is(err, errBad) {
				t.Errorf("MarshalText(%d) = %s, %v; want an error matching the package's", tc.r, b, err)
			}
			continue
		}
		var back reason
		if err != nil || tab.UnmarshalText(&back, b) != nil || back != tc.r {
			t.Errorf("text round trip of %d: %s, %v, %d", tc.r, b, err, back)
		}
	}
	r := beta
	if err := tab.UnmarshalText(&r, []byte("gamma")); !errors.Is(err, errBad) || r != beta {
		t.Errorf("UnmarshalText(gamma) = %v and left %d", err, r)
	}
}
