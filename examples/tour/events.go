package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/connectkit/connectkit/events"
)

// eventsChapter delivers a burst of Stripe webhooks for the bakery late,
// twice and out of order, and prints what each one changed.
func eventsChapter(s *story) error {
	ctx := context.Background()
	h := &events.Handler{Accounts: s.accounts, Clock: s.clock}
	at := s.clock.Now().Add(-10 * time.Minute)
	deadline := s.clock.Now().Add(time.Hour)
	acct := func(id string, sec int, due string) string {
		list := "[]"
		if due != "" {
			list = `["` + due + `"]`
		}
		return fmt.Sprintf(`{"id":%q,"object":"event","type":"account.updated","created":%d,"account":%q,"data":{"object":{"object":"account","id":%q,"country":"US","capabilities":{"card_payments":"active"},"requirements":{"currently_due":%s,"eventually_due":%s,"current_deadline":%d}}}}`,
			id, at.Unix()+int64(sec), standardID, standardID, list, list, deadline.Unix())
	}
	capability := func(id string, sec int, status string) string {
		return fmt.Sprintf(`{"id":%q,"object":"event","type":"capability.updated","created":%d,"account":%q,"data":{"object":{"object":"capability","id":"card_payments","account":%q,"status":%q,"requirements":{}}}}`,
			id, at.Unix()+int64(sec), standardID, standardID, status)
	}
	deliver := func(body string) error {
		ev, err := events.Parse([]byte(body))
		if err != nil {
			return err
		}
		r, err := h.Apply(ctx, ev)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %-18s %s%s", r.EventID, r.Type, r.Outcome, describe(r.Changes))
		if rule := eventRule(r); rule != "" {
			s.step(rule, "%s", line)
		} else {
			s.note("        %s", line) // no rule decided it: untagged, aligned with the tagged lines
		}
		return nil
	}
	s.note("Stripe created evt_a1…evt_a4 in that order; they arrive shuffled, one twice:")
	for _, body := range []string{
		acct("evt_a3", 3, ""),
		acct("evt_a1", 1, "external_account"),
		capability("evt_a2", 2, "inactive"),
		capability("evt_a4", 4, "active"),
		capability("evt_a4", 4, "active"),
		`{"id":"evt_a5","object":"event","type":"payout.paid","created":1,"data":{"object":{"object":"payout","id":"po_1"}}}`,
	} {
		if err := deliver(body); err != nil {
			return err
		}
	}
	s.advance(2*time.Hour, "an event stuck in a retry queue")
	s.note("evt_a6 was created before the deadline and says external_account is currently due:")
	return deliver(acct("evt_a6", 6, "external_account"))
}

// eventRule names the rule a report shows at work: E1 for an event skipped
// as stale or duplicate (the order of events), Q2 for a deadline that
// passed in flight, Q1 for Stripe's snapshot applied; "" for an event no
// rule applies (unhandled).
func eventRule(r events.Report) string {
	switch {
	case r.Outcome == events.OutcomeStale || r.Outcome == events.OutcomeDuplicate:
		return "E1"
	case r.Outcome == events.OutcomeUnhandled:
		return ""
	case len(r.Changes.NewlyPastDue()) > 0:
		return "Q2"
	}
	return "Q1"
}

// describe prints the changes a platform acts on.
func describe(c events.Changes) string {
	var parts []string
	if f := c.NewlyCurrentlyDue(); len(f) > 0 {
		parts = append(parts, "now due "+strings.Join(f, ","))
	}
	if f := c.NewlyPastDue(); len(f) > 0 {
		parts = append(parts, "past due "+strings.Join(f, ","))
	}
	if f := c.Cleared(); len(f) > 0 {
		parts = append(parts, "cleared "+strings.Join(f, ","))
	}
	for _, x := range c.Capabilities {
		switch {
		case x.NewlyDisabled():
			parts = append(parts, fmt.Sprintf("%s disabled (%s)", x.Capability, cmpOr(string(x.After.Reason), string(x.After.Status))))
		case x.ReEnabled():
			parts = append(parts, string(x.Capability)+" re-enabled")
		}
	}
	for _, d := range c.Deadlines {
		parts = append(parts, fmt.Sprintf("%s deadline %s → %s", d.Hash, stamp(d.Before), stamp(d.After)))
	}
	if c.Account != nil && c.Account.Before.Disabled != c.Account.After.Disabled {
		parts = append(parts, fmt.Sprintf("account disabled %v → %v", c.Account.Before.Disabled, c.Account.After.Disabled))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, "; ")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.Format("15:04")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
