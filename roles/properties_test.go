package roles_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/roles"
)

func drawSet(t *rapid.T, label string) roles.Set {
	return roles.NewSet(rapid.SliceOf(rapid.SampledFrom(roles.All())).Draw(t, label)...)
}

func drawAction(t *rapid.T, label string) roles.Action {
	return rapid.SampledFrom(roles.Actions()).Draw(t, label)
}

// P3: the zero policy, and any policy for a user with no role, denies.
func TestProperty_P3_DefaultDeny(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		held := drawSet(t, "held")
		a := drawAction(t, "action")
		if d := (roles.Policy{}).Check(held, a); d.Allowed {
			t.Fatalf("zero policy allowed %v to %v", held, a)
		}
		if d := roles.Check(0, a); d.Allowed || d.Reason() != roles.ReasonNoRoles {
			t.Fatalf("no roles: %+v", d)
		}
	})
}

// P3: bits that are not roles change no decision.
func TestProperty_P3_UnknownRolesGrantNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		held := drawSet(t, "held")
		junk := roles.Set(rapid.Uint32().Draw(t, "junk"))
		junk &^= roles.NewSet(roles.All()...) // only bits outside the catalogue
		a := drawAction(t, "action")
		if got, want := roles.Check(held|junk, a).Allowed, roles.Check(held, a).Allowed; got != want {
			t.Fatalf("adding non-role bits %#x to %v changed Allowed from %v to %v", uint32(junk), held, want, got)
		}
	})
}

// P1: adding a role to a user never removes a permission.
func TestProperty_P1_AddingARoleNeverRemovesAPermission(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		held := drawSet(t, "held")
		extra := rapid.SampledFrom(roles.All()).Draw(t, "extra")
		a := drawAction(t, "action")
		if roles.Check(held, a).Allowed && !roles.Check(held.With(extra), a).Allowed {
			t.Fatalf("%v may %v but %v may not", held, a, held.With(extra))
		}
	})
}

// A custom policy built from the default table, as values or as wire names,
// decides exactly as the default.
func TestProperty_CustomPolicyFromDefaultTableDecidesAsDefault(t *testing.T) {
	fromValues, err := roles.NewPolicy(roles.Default().Table())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]string{}
	for _, g := range roles.Default().Table() {
		for r := range g.Roles.All() {
			names[g.Action.String()] = append(names[g.Action.String()], r.String())
		}
	}
	fromNames, err := roles.ParsePolicy(names)
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		held := drawSet(t, "held")
		a := roles.Action(rapid.IntRange(0, len(roles.Actions())+1).Draw(t, "action"))
		want := roles.Check(held, a)
		for name, p := range map[string]roles.Policy{"values": fromValues, "names": fromNames} {
			if got := p.Check(held, a); got != want {
				t.Fatalf("policy from %s: %+v, default: %+v", name, got, want)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, r := range roles.All() {
		f.Add(r.String())
	}
	f.Add("")
	f.Add("ADMIN")
	f.Add("admin\x00")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := roles.Parse(s)
		if err != nil {
			if r.Valid() {
				t.Fatalf("Parse(%q) returned %v with error %v", s, r, err)
			}
			return
		}
		if r.String() != s {
			t.Fatalf("Parse(%q) = %v, which prints as %q", s, r, r.String())
		}
	})
}

func BenchmarkCheck(b *testing.B) {
	p := roles.Default()
	held := roles.NewSet(roles.Analyst, roles.SupportSpecialist)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Check(held, roles.GenerateRemediationLink)
	}
}

func BenchmarkCheck_Denied(b *testing.B) {
	p := roles.Default()
	held := roles.NewSet(roles.Analyst)
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Check(held, roles.SendFunds)
	}
}
