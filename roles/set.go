package roles

import (
	"iter"
	"strings"
)

// Set is the set of roles one Dashboard user holds (a user may hold several,
// rule P1). It is a small value type: copying it is free and checks against
// it do not allocate. The zero Set holds no role and is allowed nothing.
type Set uint32

const knownRoles Set = (1<<numRoles - 1) &^ 1

// NewSet returns the set of the given roles. Values outside the catalogue are
// dropped: an unknown role grants nothing (P3).
func NewSet(rs ...Role) Set {
	var s Set
	for _, r := range rs {
		s = s.With(r)
	}
	return s
}

// ParseSet parses wire names into a Set. The first unknown name is an
// *UnknownRoleError; nothing is silently dropped.
func ParseSet(names ...string) (Set, error) {
	var s Set
	for _, n := range names {
		r, err := Parse(n)
		if err != nil {
			return 0, err
		}
		s = s.With(r)
	}
	return s, nil
}

// With returns s plus r; an invalid r leaves s as it is.
func (s Set) With(r Role) Set {
	if !r.Valid() {
		return s
	}
	return s | 1<<r
}

// Without returns s less r.
func (s Set) Without(r Role) Set {
	if !r.Valid() {
		return s
	}
	return s &^ (1 << r)
}

// Has reports whether s holds r.
func (s Set) Has(r Role) bool { return r.Valid() && s&(1<<r) != 0 }

// Union returns the roles held in s or t.
func (s Set) Union(t Set) Set { return (s | t) & knownRoles }

// Intersect returns the roles held in both s and t.
func (s Set) Intersect(t Set) Set { return s & t & knownRoles }

// Empty reports whether s holds no known role.
func (s Set) Empty() bool { return s&knownRoles == 0 }

// Len returns the number of roles in s.
func (s Set) Len() int {
	n := 0
	for v := s & knownRoles; v != 0; v &= v - 1 {
		n++
	}
	return n
}

// All iterates over the roles in s in catalogue order, without allocating.
func (s Set) All() iter.Seq[Role] {
	return func(yield func(Role) bool) {
		for r := Role(1); r < numRoles; r++ {
			if s.Has(r) && !yield(r) {
				return
			}
		}
	}
}

// Roles returns the roles in s in catalogue order, as a new slice.
func (s Set) Roles() []Role {
	out := make([]Role, 0, s.Len())
	for r := range s.All() {
		out = append(out, r)
	}
	return out
}

// String lists the wire names in s, comma-separated, or "none".
func (s Set) String() string {
	if s.Empty() {
		return "none"
	}
	var b strings.Builder
	for r := range s.All() {
		if b.Len() > 0 {
			b.WriteString(",")
		}
		b.WriteString(r.String())
	}
	return b.String()
}
