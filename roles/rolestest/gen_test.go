package rolestest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/counterexample"
	"github.com/connectkit/connectkit/roles"
	"github.com/connectkit/connectkit/roles/rolestest"
	"pgregory.net/rapid"
)

// genDraws bounds the coverage tests: every value must appear among the
// examples of the first genDraws seeds (deterministic, so no flakes).
const genDraws = 500

func TestRole_ValidAndCoversTheCatalogue(t *testing.T) {
	seen := map[roles.Role]bool{}
	for i := 0; i < genDraws; i++ {
		r := rolestest.Role().Example(i)
		if !r.Valid() {
			t.Fatalf("Role drew invalid %v", r)
		}
		seen[r] = true
	}
	for _, r := range roles.All() {
		if !seen[r] {
			t.Errorf("Role never drew %v in %d draws", r, genDraws)
		}
	}
}

func TestSet_OnlyCatalogueRoles(t *testing.T) {
	all := roles.NewSet(roles.All()...)
	rapid.Check(t, func(t *rapid.T) {
		held := rolestest.DrawSet(t, "held", rolestest.SetOptions{})
		if held.Union(all) != all {
			t.Fatalf("set %v holds bits outside the catalogue", held)
		}
		if _, err := roles.ParseSet(strings.Split(held.String(), ",")...); err != nil && !held.Empty() {
			t.Fatalf("set %v does not round-trip through wire names: %v", held, err)
		}
	})
}

// Every bias holds for every action, by construction.
func TestSet_PermittingAndDenyingHold(t *testing.T) {
	for _, a := range roles.Actions() {
		t.Run(a.String(), func(t *testing.T) {
			permit := rolestest.Set(rolestest.SetOptions{Permitting: a})
			deny := rolestest.Set(rolestest.SetOptions{Denying: a, NonEmpty: true})
			for i := 0; i < 100; i++ {
				if held := permit.Example(i); !roles.Check(held, a).Allowed {
					t.Fatalf("Permitting %v drew %v, which is denied", a, held)
				}
				if held := deny.Example(i); roles.Check(held, a).Allowed || held.Empty() {
					t.Fatalf("Denying %v (non-empty) drew %v", a, held)
				}
			}
		})
	}
}

func TestSet_PermittingButDenying(t *testing.T) {
	// Who may generate a remediation link (L7) but not send funds (A7)?
	g := rolestest.Set(rolestest.SetOptions{Permitting: roles.GenerateRemediationLink, Denying: roles.SendFunds})
	seen := roles.Set(0)
	for i := 0; i < genDraws; i++ {
		held := g.Example(i)
		if !roles.Check(held, roles.GenerateRemediationLink).Allowed || roles.Check(held, roles.SendFunds).Allowed {
			t.Fatalf("drew %v", held)
		}
		seen = seen.Union(held)
	}
	for _, r := range []roles.Role{roles.ConnectOnboardingAnalyst, roles.Developer, roles.DataMigrationSpecialist, roles.SupportAssociate, roles.SupportSpecialist} {
		if !seen.Has(r) {
			t.Errorf("never drew %v", r)
		}
	}
}

func TestSet_ImpossibleOptionsPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Permitting and Denying the same action did not panic")
		}
	}()
	rolestest.Set(rolestest.SetOptions{Permitting: roles.SendFunds, Denying: roles.SendFunds})
}

// A deliberately false property ("nobody may send funds") fails, and rapid
// shrinks the counterexample to a single role, printed by name.
func TestSet_ShrinksToOneNamedRole(t *testing.T) {
	t.Chdir(t.TempDir()) // rapid writes its fail file under ./testdata
	var last roles.Set
	rec := counterexample.Find(t.Name(), func(t *rapid.T) {
		held := rolestest.DrawSet(t, "held", rolestest.SetOptions{})
		last = held
		if roles.Check(held, roles.SendFunds).Allowed {
			t.Fatalf("%v may send funds", held)
		}
	})
	if !rec.Found {
		t.Fatal("rapid did not falsify the property")
	}
	if last != roles.NewSet(roles.Owner) {
		t.Errorf("shrunk to %v, want owner alone\n%s", last, rec)
	}
	t.Log(rec)
	if !rec.Contains(`draw held.role_1: "owner"`) {
		t.Errorf("the report does not name the role:\n%s", rec)
	}
}

func ExampleSet() {
	// Users who may generate a remediation link (L7) but may not send
	// funds (A7): the Administrator never appears.
	g := rolestest.Set(rolestest.SetOptions{Permitting: roles.GenerateRemediationLink, Denying: roles.SendFunds})
	held := g.Example(7)
	fmt.Println(held.Has(roles.Admin), roles.Check(held, roles.GenerateRemediationLink).Allowed)
	// Output: false true
}
