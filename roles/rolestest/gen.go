// Package rolestest holds rapid generators of Dashboard roles and role
// sets, for property tests of policies built on package roles.
//
// Generators come in pairs: Set returns a *rapid.Generator to compose with
// rapid's combinators, and DrawSet draws directly on a *rapid.T under a
// label, so that a failing case prints every role by its wire name rather
// than as a bit pattern. Options bias a generator by construction, never by
// filtering, so rapid never gives up on a biased draw.
//
// rapid is a test dependency: import this package from _test files only.
package rolestest

import (
	"fmt"

	"github.com/connectkit/connectkit/roles"
	"pgregory.net/rapid"
)

// Role returns a generator of the roles of the catalogue, every one of
// them valid. A failing role shrinks towards roles.Owner, the first in
// catalogue order. It is safe for concurrent use.
func Role() *rapid.Generator[roles.Role] {
	return rapid.SampledFrom(roles.All())
}

// SetOptions bias Set. The zero value draws any set of zero to MaxRoles
// roles.
type SetOptions struct {
	// Policy decides Permitting and Denying; nil means roles.Default().
	Policy *roles.Policy
	// Permitting, when not zero, makes every set hold at least one role
	// that Policy grants this action.
	Permitting roles.Action
	// Denying, when not zero, makes every set hold no role that Policy
	// grants this action. Together with Permitting it must name another
	// action, and some role must be granted Permitting but not Denying.
	Denying roles.Action
	// NonEmpty makes every set hold at least one role.
	NonEmpty bool
	// MaxRoles bounds the number of roles drawn besides the one
	// Permitting adds; zero means 3.
	MaxRoles int
}

// Set returns a generator of role sets biased by opts. A failing set
// shrinks towards the fewest roles, each towards the first in catalogue
// order. It panics when opts cannot be satisfied (an undeclared action,
// or Permitting and Denying that no role separates), a mistake in the
// test rather than in the code under test. It is safe for concurrent use.
func Set(opts SetOptions) *rapid.Generator[roles.Set] {
	pools := setPools(opts)
	return rapid.Custom(func(t *rapid.T) roles.Set { return drawSet(t, "roles", opts, pools) })
}

// DrawSet draws one set as Set does, directly on t: each role is printed
// under label (for example "held.role_1: admin") when the case fails.
func DrawSet(t *rapid.T, label string, opts SetOptions) roles.Set {
	return drawSet(t, label, opts, setPools(opts))
}

// pools are the roles a biased Set draws from: must holds the roles one of
// which every set contains, may the roles the others are drawn from.
type pools struct {
	must, may []string
}

func setPools(opts SetOptions) pools {
	pol := roles.Default()
	if opts.Policy != nil {
		pol = *opts.Policy
	}
	may := roles.NewSet(roles.All()...)
	var must roles.Set
	if opts.Denying != 0 {
		if !opts.Denying.Valid() {
			panic(fmt.Sprintf("rolestest: SetOptions.Denying is not a declared action: %v", opts.Denying))
		}
		may = may.Intersect(complement(pol.Allowed(opts.Denying)))
	}
	if opts.Permitting != 0 {
		if !opts.Permitting.Valid() {
			panic(fmt.Sprintf("rolestest: SetOptions.Permitting is not a declared action: %v", opts.Permitting))
		}
		must = pol.Allowed(opts.Permitting).Intersect(may)
		if must.Empty() {
			panic(fmt.Sprintf("rolestest: no role is granted %v but not %v", opts.Permitting, opts.Denying))
		}
	} else if opts.NonEmpty {
		must = may
	}
	if may.Empty() {
		panic(fmt.Sprintf("rolestest: every role is granted %v", opts.Denying))
	}
	return pools{must: names(must), may: names(may)}
}

func complement(s roles.Set) roles.Set {
	var c roles.Set
	for _, r := range roles.All() {
		if !s.Has(r) {
			c = c.With(r)
		}
	}
	return c
}

func names(s roles.Set) []string {
	var ns []string
	for r := range s.All() {
		ns = append(ns, r.String())
	}
	return ns
}

// drawSet draws role wire names, so that rapid prints them readably.
func drawSet(t *rapid.T, label string, opts SetOptions, p pools) roles.Set {
	maxRoles := opts.MaxRoles
	if maxRoles <= 0 {
		maxRoles = 3
	}
	var held roles.Set
	if len(p.must) > 0 {
		held = held.With(parse(rapid.SampledFrom(p.must).Draw(t, label+".role_0")))
	}
	n := rapid.IntRange(0, maxRoles).Draw(t, label+".extra_roles")
	for i := 1; i <= n; i++ {
		held = held.With(parse(rapid.SampledFrom(p.may).Draw(t, fmt.Sprintf("%s.role_%d", label, i))))
	}
	return held
}

func parse(name string) roles.Role {
	r, err := roles.Parse(name)
	if err != nil {
		panic("rolestest: " + err.Error()) // names come from roles.All
	}
	return r
}
