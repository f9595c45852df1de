package events_test

import (
	"context"
	"encoding/json"
	"testing"

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
