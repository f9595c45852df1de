package examples_test

import (
	"errors"
	"fmt"

	"github.com/connectkit/connectkit/roles"
)

// Example_teamRoles loads a platform team whose members hold several roles
// each (P1), prints who may do what under the default policy, with the
// sentence behind one denial, and then applies a stricter policy read from
// configuration. Unknown role names are refused, never ignored: they would
// grant nothing anyway (P3), but a typo in a config file should be loud.
// "At least Administrator" includes the account owner (P2).
func Example_teamRoles() {
	// The team as a directory service returns it: wire names of roles.
	team := []struct {
		name  string
		roles []string
	}{
		{"olga", []string{"owner"}},
		{"ada", []string{"admin"}},
		{"dev", []string{"developer", "financial_connections_specialist"}},
		{"sam", []string{"support_specialist", "analyst"}},
		{"val", []string{"view_only"}},
		{"tom", []string{"transfer_analyst", "treasurer"}}, // a typo or a custom role
	}
	held := map[string]roles.Set{}
	var names []string
	for _, m := range team {
		s, err := roles.ParseSet(m.roles...)
		if err != nil { // matches roles.ErrUnknownRole
			// Refuse the user rather than load them with fewer roles.
			fmt.Println("skip", m.name+":", err)
			continue
		}
		held[m.name] = s
		names = append(names, m.name)
	}

	actions := []roles.Action{roles.CreateConnectedAccount, roles.GenerateRemediationLink,
		roles.SendFunds, roles.RequestRelink}
	matrix := func(p roles.Policy) {
		fmt.Println("       create remediation send relink")
		for _, name := range names {
			row := []any{name}
			for _, a := range actions {
				if p.Check(held[name], a).Allowed {
					row = append(row, "yes")
				} else {
					row = append(row, "-")
				}
			}
			fmt.Printf("  %-4s %6s %11s %4s %6s\n", row...)
		}
	}
	// The owner may send funds ("at least Administrator", P2) but not
	// generate remediation links: L7 names exactly six roles.
	fmt.Println("default policy:")
	matrix(roles.Default())
	// Every denial explains itself: who, what, and which rule.
	fmt.Println(roles.Check(held["sam"], roles.SendFunds))

	// A stricter platform lets only the owner move money and keeps relink
	// requests with the Financial Connections specialists. An action the
	// table does not list is denied to everyone (P3).
	config := map[string][]string{
		"send_funds":                {"owner"},
		"pull_funds":                {"owner"},
		"generate_remediation_link": {"admin", "support_specialist"},
		"request_relink":            {"financial_connections_specialist"},
	}
	strict, err := roles.ParsePolicy(config)
	if err != nil {
		fmt.Println("policy:", err)
		return
	}
	fmt.Println("strict policy:")
	matrix(strict)

	// A config reload with an unknown role is rejected as a whole; the
	// service keeps running with the policy it has.
	config["send_funds"] = []string{"owner", "treasurer"}
	if _, err := roles.ParsePolicy(config); errors.Is(err, roles.ErrUnknownRole) {
		fmt.Println("reload rejected:", err)
	}
	// Output:
	// skip tom: roles: unknown role "treasurer"
	// default policy:
	//        create remediation send relink
	//   olga    yes           -  yes    yes
	//   ada     yes         yes  yes    yes
	//   dev     yes         yes    -    yes
	//   sam       -         yes    -      -
	//   val       -           -    -      -
	// Analyst, Support Specialist may not send funds to connected accounts (A7: allowed to Account owner, Super Administrator, Administrator)
	// strict policy:
	//        create remediation send relink
	//   olga      -           -  yes      -
	//   ada       -         yes    -      -
	//   dev       -           -    -    yes
	//   sam       -         yes    -      -
	//   val       -           -    -      -
	// reload rejected: roles: invalid policy: action send_funds: roles: unknown role "treasurer"
}
