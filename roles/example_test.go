package roles_test

import (
	"errors"
	"fmt"

	"github.com/connectkit/connectkit/roles"
)

// A user may hold several roles; the check is allowed when any of them is,
// and the decision explains itself either way.
func Example() {
	held, err := roles.ParseSet("analyst", "support_specialist")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range []roles.Action{roles.GenerateRemediationLink, roles.SendFunds} {
		d := roles.Check(held, a)
		fmt.Printf("%v %v: %v (%s)\n", a, d.Allowed, d.Reason().Code(), d)
	}
	// Output:
	// generate_remediation_link true: role_permitted (Support Specialist may generate remediation links (L7))
	// send_funds false: role_not_permitted (Analyst, Support Specialist may not send funds to connected accounts (A7: allowed to Account owner, Super Administrator, Administrator))
}

// Denial is also an error that matches roles.ErrDenied.
func ExampleDecision_Err() {
	err := roles.Check(roles.NewSet(roles.ViewOnly), roles.RemoveAccount).Err()
	fmt.Println(errors.Is(err, roles.ErrDenied))
	fmt.Println(err)
	// Output:
	// true
	// roles: View Only may not remove connected accounts (A6: allowed to Account owner, Super Administrator, Administrator)
}

// A platform with a stricter rule builds its own policy from an explicit
// table; unknown names are refused rather than ignored.
func ExampleParsePolicy() {
	p, err := roles.ParsePolicy(map[string][]string{
		"send_funds": {"owner"},
		"pull_funds": {"owner"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Check(roles.NewSet(roles.Admin), roles.SendFunds).Allowed)
	fmt.Println(p.Check(roles.NewSet(roles.Owner), roles.SendFunds).Allowed)

	_, err = roles.ParsePolicy(map[string][]string{"send_funds": {"treasurer"}})
	fmt.Println(err)
	// Output:
	// false
	// true
	// roles: invalid policy: action send_funds: roles: unknown role "treasurer"
}
