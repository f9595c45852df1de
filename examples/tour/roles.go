package main

import (
	"github.com/connectkit/connectkit/roles"
)

// rolesChapter shows who on the platform's team may do what.
func rolesChapter(s *story) error {
	team := []struct {
		who  string
		held []string
	}{
		{"Ada (Administrator)", []string{"admin"}},
		{"Dev (Developer)", []string{"developer"}},
		{"Sam (Support Specialist + Analyst)", []string{"support_specialist", "analyst"}},
		{"Val (View Only)", []string{"view_only"}},
	}
	s.note("The platform's team, and what the default policy lets each do:")
	for _, m := range team {
		held, err := roles.ParseSet(m.held...)
		if err != nil {
			return err
		}
		for _, a := range []roles.Action{roles.CreateConnectedAccount, roles.GenerateRemediationLink, roles.SendFunds} {
			d := roles.Check(held, a)
			s.step(d.Rule(), "%s: %s", m.who, d)
		}
	}
	if _, err := roles.Parse("wizard"); err != nil {
		s.step("P3", "an unknown role name is refused, not ignored: %v", err)
	}
	return nil
}
