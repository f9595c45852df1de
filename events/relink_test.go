package events_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/events"
	"github.com/connectkit/connectkit/relink"
)

// fcEvent wraps Stripe's FC account fixture in an envelope of type typ.
func fcEvent(t *testing.T, id, typ string, created int64) events.Event {
	t.Helper()
	var fx struct{ Fixture json.RawMessage }
	if err := json.Unmarshal(load(t, "fc_account_fixture.json"), &fx); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "created": created,
		"data": map[string]any{"object": fx.Fixture}})
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, b)
}

// Every financial_connections.account.* event applies the FC account's
// snapshot once, in order (K2, K4: what relink decides on).
func TestApply_K4_FCAccountEventsInOrderAndOnce(t *testing.T) {
	h := &events.Handler{Relink: &relink.Service{Store: relink.NewMemoryStore()}}
	ctx := context.Background()
	for i, typ := range []string{"financial_connections.account.deactivated", "financial_connections.account.reactivated",
		"financial_connections.account.disconnected", "financial_connections.account.refreshed_balance",
		"financial_connections.account.account_numbers_updated", "financial_connections.account.upcoming_account_number_expiry",
		"financial_connections.account.expected_deactivation_date_updated", "financial_connections.account.upcoming_deactivation"} {
		ev := fcEvent(t, "evt_fc"+string(rune('a'+i)), typ, t0.Unix()+int64(i))
		r, err := h.ApplyAt(ctx, ev, t0)
		if err != nil || r.Outcome != events.OutcomeApplied || r.Changes.FCAccount == nil {
			t.Fatalf("%s: %+v, %v; want applied with the FC account's eligibility", typ, r, err)
		}
		if r, err := h.ApplyAt(ctx, ev, t0); err != nil || r.Outcome != events.OutcomeDuplicate {
			t.Errorf("%s again: %v, %v; want duplicate", typ, r.Outcome, err)
		}
	}
	if r, err := h.ApplyAt(ctx, fcEvent(t, "evt_fc_old", "financial_connections.account.deactivated", t0.Unix()-1), t0); err != nil || r.Outcome != events.OutcomeStale {
		t.Errorf("older event: %v, %v; want stale", r.Outcome, err)
	}
}

// fcEventWith is fcEvent with the fixture's object changed by edit first.
func fcEventWith(t *testing.T, id, typ string, created int64, edit func(obj map[string]any)) events.Event {
	t.Helper()
	var fx struct{ Fixture map[string]any }
	if err := json.Unmarshal(load(t, "fc_account_fixture.json"), &fx); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(fx.Fixture)
	}
	b, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "created": created,
		"data": map[string]any{"object": fx.Fixture}})
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, b)
}

// The payload edits the FC event tests apply to Stripe's fixture (active,
// no status_details, no account numbers).
func fcInactive(obj map[string]any) {
	obj["status"] = "inactive"
	obj["status_details"] = map[string]any{"inactive": map[string]any{"action": "relink_required", "cause": "access_expired"}}
}

func fcDisconnected(obj map[string]any) { obj["status"] = "disconnected" }

func fcTAN(expiry time.Time) func(map[string]any) {
	return func(obj map[string]any) {
		obj["account_numbers"] = []any{
			map[string]any{"identifier_type": "account_number", "status": "transactable", "expected_expiry_date": nil},
			map[string]any{"identifier_type": "tokenized_account_number", "status": "transactable",
				"expected_expiry_date": expiry.Unix(), "supported_networks": []any{"ach"}},
		}
	}
}

func fcRelinkRequired(deactivation time.Time) func(map[string]any) {
	return func(obj map[string]any) {
		obj["status_details"] = map[string]any{"active": map[string]any{"action": "relink_required",
			"cause": "access_expired", "expected_deactivation_date": deactivation.Unix()}}
	}
}

// Each financial_connections.account.* type, with the payload Stripe sends
// it with, moves the FC account's hosted-relink eligibility (K2) as the
// payload says, and the report gives the deadline: the TAN's expiry for a
// TAN within 30 days, Stripe's expected_deactivation_date for an active
// account flagged relink_required, none for an inactive one. Each case
// first applies a baseline snapshot (an earlier event), then the event.
func TestApply_K2_FCAccountEventsReportEligibilityAndDeadline(t *testing.T) {
	ctx := context.Background()
	const day = 24 * time.Hour
	for _, tc := range []struct {
		typ            string
		baseline, edit func(map[string]any) // nil: the fixture as is
		before, after  bool
		deadline       time.Time
	}{
		{typ: "financial_connections.account.deactivated", edit: fcInactive, after: true},
		{typ: "financial_connections.account.reactivated", baseline: fcInactive, before: true},
		{typ: "financial_connections.account.disconnected", baseline: fcInactive, edit: fcDisconnected, before: true},
		{typ: "financial_connections.account.disconnected", edit: fcDisconnected},
		{typ: "financial_connections.account.account_numbers_updated", edit: fcTAN(t0.Add(10 * day)), after: true, deadline: t0.Add(10 * day)},
		{typ: "financial_connections.account.account_numbers_updated", baseline: fcTAN(t0.Add(10 * day)), edit: fcTAN(t0.Add(31 * day)), before: true},
		{typ: "financial_connections.account.upcoming_account_number_expiry", baseline: fcTAN(t0.Add(45 * day)), edit: fcTAN(t0.Add(30 * day)), after: true, deadline: t0.Add(30 * day)},
		{typ: "financial_connections.account.expected_deactivation_date_updated", edit: fcRelinkRequired(t0.Add(20 * day)), after: true, deadline: t0.Add(20 * day)},
		{typ: "financial_connections.account.expected_deactivation_date_updated", baseline: fcRelinkRequired(t0.Add(20 * day)), edit: fcRelinkRequired(t0.Add(40 * day)), before: true, after: true, deadline: t0.Add(40 * day)},
		{typ: "financial_connections.account.upcoming_deactivation", edit: fcRelinkRequired(t0.Add(5 * day)), after: true, deadline: t0.Add(5 * day)},
		{typ: "financial_connections.account.refreshed_balance"},
		{typ: "financial_connections.account.refreshed_ownership", baseline: fcInactive, edit: fcInactive, before: true, after: true},
		{typ: "financial_connections.account.refreshed_transactions", baseline: fcTAN(t0.Add(3 * day)), edit: fcTAN(t0.Add(3 * day)), before: true, after: true, deadline: t0.Add(3 * day)},
		{typ: "financial_connections.account.supported_payment_method_types_updated", edit: func(o map[string]any) { o["supported_payment_method_types"] = []any{"us_bank_account", "link"} }},
	} {
		t.Run(strings.TrimPrefix(tc.typ, "financial_connections.account."), func(t *testing.T) {
			h := &events.Handler{Relink: &relink.Service{Store: relink.NewMemoryStore()}}
			base := fcEventWith(t, "evt_base", "financial_connections.account.created", t0.Unix()-100, tc.baseline)
			r, err := h.ApplyAt(ctx, base, t0)
			if err != nil || r.Outcome != events.OutcomeApplied || r.Changes.FCAccount == nil ||
				r.Changes.FCAccount.EligibleBefore || r.Changes.FCAccount.EligibleAfter != tc.before {
				t.Fatalf("baseline created: %+v, %v; want applied, eligible before false, after %v", r, err, tc.before)
			}
			ev := fcEventWith(t, "evt_case", tc.typ, t0.Unix()-50, tc.edit)
			r, err = h.ApplyAt(ctx, ev, t0)
			if err != nil || r.Outcome != events.OutcomeApplied {
				t.Fatalf("%s: %+v, %v; want applied", tc.typ, r, err)
			}
			want := events.FCAccountChange{Account: "fca_1Pgc76B7WZ01zgkWqlYVCIub", EligibleBefore: tc.before, EligibleAfter: tc.after, Deadline: tc.deadline}
			if got := r.Changes.FCAccount; got == nil || !got.Deadline.Equal(want.Deadline) ||
				got.Account != want.Account || got.EligibleBefore != want.EligibleBefore || got.EligibleAfter != want.EligibleAfter {
				t.Fatalf("%s change = %+v; want %+v", tc.typ, got, want)
			}
		})
	}
}
