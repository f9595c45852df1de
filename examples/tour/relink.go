package main

import (
	"context"
	"slices"
	"time"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// relinkChapter runs a Financial Connections relink campaign held back by
// the 48-hour limit, then one account's request lifecycle.
func relinkChapter(s *story) error {
	ctx := context.Background()
	svc := &relink.Service{
		Store: relink.NewMemoryStore(),
		Clock: s.clock,
		Rand:  new(countingReader), // deterministic request IDs for the tour
	}
	now := s.clock.Now()
	holder := func(email string) relink.Holder {
		return relink.Holder{Type: relink.HolderCustomer, Customer: "cus_" + email[:3], Email: email}
	}
	tan := func(expiry time.Time) []relink.AccountNumber {
		return []relink.AccountNumber{{IdentifierType: relink.IdentifierTokenizedNumber,
			Status: relink.NumberTransactable, ExpectedExpiry: relink.TimestampOf(expiry)}}
	}
	fleet := []relink.Account{
		{ID: "fca_bakery", Livemode: true, Status: relink.AccountInactive, Holder: holder("bakery@example.com"),
			Inactive: relink.InactiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired}},
		{ID: "fca_florist", Livemode: true, Status: relink.AccountActive, Holder: holder("florist@example.com"),
			AccountNumbers: tan(now.AddDate(0, 0, 10))},
		{ID: "fca_plumber", Livemode: true, Status: relink.AccountActive, Holder: holder("plumber@example.com"),
			AccountNumbers: tan(now.AddDate(0, 0, 50))},
		{ID: "fca_cafe", Livemode: true, Status: relink.AccountDisconnected, Holder: holder("cafe@example.com")},
		// Still active, but Stripe says it must be relinked before it is
		// deactivated (status_details.active): first in the "now" bucket.
		{ID: "fca_salon", Livemode: true, Status: relink.AccountActive, Holder: holder("salon@example.com"),
			Active: relink.ActiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseInstitutionRequirement,
				ExpectedDeactivation: relink.TimestampOf(now.AddDate(0, 0, 12))}},
	}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "jane", Roles: admin}}

	// The bakery was already asked yesterday from the Dashboard.
	s.clock.Set(now.Add(-24 * time.Hour))
	if _, _, err := svc.Request(ctx, fleet[0], ask); err != nil {
		return err
	}
	s.clock.Set(now)
	s.note("The bakery's account was already asked to relink 24 hours ago.")

	campaign := func() (relink.Campaign, error) {
		targets := make([]relink.Target, 0, len(fleet))
		for _, a := range fleet {
			reqs, err := svc.Store.ListByAccount(ctx, a.ID)
			if err != nil {
				return relink.Campaign{}, err
			}
			targets = append(targets, relink.Target{Account: a, Limit: relink.LimitOf(reqs)})
		}
		return relink.PlanCampaign(roles.Default(), ask, slices.Values(targets), svc.ConfirmedEmails, s.clock.Now()), nil
	}
	c, err := campaign()
	if err != nil {
		return err
	}
	for _, d := range c.Eligible {
		s.step("K2", "now:   %s", d)
	}
	for _, d := range c.Later {
		s.step(relinkTag(d), "later: %s", d)
	}
	for _, d := range c.Never {
		s.step(relinkTag(d), "never: %s", d)
	}

	_, d, _ := svc.Request(ctx, fleet[1], relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "sam", Roles: analyst}})
	s.step(relinkTag(d), "an Analyst asks the florist to relink: %s", d)
	req, d, err := svc.Request(ctx, fleet[1], ask)
	if err != nil {
		return err
	}
	s.step("K3", "the Administrator asks instead: %s (request %s by %s, %s)", d, req.ID, req.CreatedBy, req.Status)

	s.advance(24*time.Hour-time.Second, "one second short of the bakery's 48 hours")
	_, d, _ = svc.Request(ctx, fleet[0], ask)
	s.step(relinkTag(d), "ask the bakery again: %s (Retry-After %s)", d, d.DelayFrom(s.clock.Now()))
	s.advance(time.Second, "exactly 48 hours")
	bakeryReq, d, err := svc.Request(ctx, fleet[0], ask)
	if err != nil {
		return err
	}
	s.step("K3", "ask the bakery again: %s", d)

	if _, err := svc.Complete(ctx, bakeryReq.ID, "fca_other"); err != nil {
		s.step("K4", "the customer relinks a different account: refused (%v)", err)
	}
	done, err := svc.Complete(ctx, bakeryReq.ID, fleet[0].ID)
	if err != nil {
		return err
	}
	s.step("K4", "the customer relinks the same account: request %s %s", done.ID, done.Status)
	_, d, _ = svc.Request(ctx, fleet[0], ask)
	s.step("K3", "completion resets the limit; asking again at once: %s", d)
	return nil
}

// countingReader is a deterministic Rand for the tour: each read is the
// next number, so that request IDs end in 01, 02, …
type countingReader uint8

func (c *countingReader) Read(p []byte) (int, error) {
	*c++
	clear(p)
	if len(p) > 0 {
		p[len(p)-1] = byte(*c)
	}
	return len(p), nil
}
