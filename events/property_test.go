package events_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/events"
	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

var fieldPool = []string{"individual.dob.day", "individual.ssn_last_4", "external_account", "tos_acceptance.date", "business_profile.url"}

// drawEvent draws one snapshot event for fixtureAccount: an account.updated,
// a capability.updated (two capabilities), a person event (the
// representative or another person) or a deauthorization. Created is within
// a few seconds of t0, so same-second pairs are common; the ID is unique.
func drawEvent(t *rapid.T, n int) []byte {
	created := t0.Unix() + int64(rapid.IntRange(0, 3).Draw(t, "sec"))
	subset := func(label string) []any {
		out := []any{}
		for _, f := range fieldPool {
			if rapid.Bool().Draw(t, label+" "+f) {
				out = append(out, f)
			}
		}
		return out
	}
	hash := func(label string) map[string]any {
		due := subset(label)
		h := map[string]any{"currently_due": due, "eventually_due": due, "past_due": []any{}, "pending_verification": subset(label + " pending"),
			"errors": []any{}, "alternatives": []any{}, "current_deadline": nil, "disabled_reason": nil}
		if rapid.Bool().Draw(t, label+" deadline") {
			h["current_deadline"] = t0.Unix() + int64(rapid.IntRange(-3600, 3600).Draw(t, label+" deadline at"))
		}
		if rapid.Bool().Draw(t, label+" disabled") {
			h["disabled_reason"] = "requirements.past_due"
		}
		return h
	}
	var typ string
	var obj map[string]any
	switch rapid.IntRange(0, 6).Draw(t, "kind") {
	case 0, 1:
		typ = "account.updated"
		caps := map[string]any{"card_payments": "active"}
		if rapid.Bool().Draw(t, "transfers requested") {
			caps["transfers"] = rapid.SampledFrom([]string{"active", "inactive"}).Draw(t, "transfers")
		}
		banks := []any{}
		if rapid.Bool().Draw(t, "external account") {
			banks = append(banks, map[string]any{"id": "ba_1", "object": "bank_account"})
		}
		// Every part of the account an account.updated writes varies, so
		// that the composition property sees each (Diff reports them all).
		obj = map[string]any{"object": "account", "id": string(fixtureAccount),
			"country":           rapid.SampledFrom([]string{"US", "FR"}).Draw(t, "country"),
			"email":             rapid.SampledFrom([]string{"a@example.com", "b@example.com"}).Draw(t, "email"),
			"business_profile":  map[string]any{"name": rapid.SampledFrom([]any{nil, "Bakery", "Bakery & Co"}).Draw(t, "business name")},
			"capabilities":      caps,
			"external_accounts": map[string]any{"object": "list", "data": banks, "has_more": false, "total_count": len(banks)},
			"requirements":      hash("req"), "future_requirements": hash("future")}
	case 2, 3:
		typ = "capability.updated"
		obj = map[string]any{"object": "capability", "id": rapid.SampledFrom([]string{"card_payments", "transfers"}).Draw(t, "capability"),
			"account": string(fixtureAccount), "status": rapid.SampledFrom([]string{"active", "inactive", "pending"}).Draw(t, "status"),
			"requirements": hash("cap"), "future_requirements": hash("cap future")}
	case 4, 5:
		typ = rapid.SampledFrom([]string{"person.created", "person.updated", "person.deleted"}).Draw(t, "person event")
		pid := rapid.SampledFrom([]string{"person_rep", "person_other"}).Draw(t, "person")
		obj = map[string]any{"object": "person", "id": pid, "account": string(fixtureAccount),
			"first_name": rapid.SampledFrom([]string{"Jenny", "Jo"}).Draw(t, "first"), "last_name": "Rosen",
			"relationship": map[string]any{"representative": pid == "person_rep" && rapid.Bool().Draw(t, "is rep")}}
		if rapid.Bool().Draw(t, "dob") {
			obj["dob"] = map[string]any{"day": 1, "month": 2, "year": 1980}
		}
	default:
		typ = "account.application.deauthorized"
		obj = map[string]any{"object": "application", "id": "ca_1"}
	}
	b, err := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_%c%d", 'a'+rune(rapid.IntRange(0, 3).Draw(t, "id letter")), n),
		"object": "event", "type": typ, "created": created, "account": string(fixtureAccount), "data": map[string]any{"object": obj}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// comparable ignores what a store sets (the version).
var accountCmp = gocmp.Options{accounttest.CmpOptions(), cmpopts.IgnoreFields(account.Account{}, "Version")}

// For any set of snapshot events for one account, delivered in any order
// with duplicates, the final account is the one applying them once each
// in created order gives (E1: the newest snapshot of each object wins).
// The representative on file came from a person event (see
// account.Account.WithPersonSnapshot for the one order-dependent corner, a
// representative entered by hand).
func TestProperty_E1_AnyDeliveryOrderConverges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "events")
		evs := make([]events.Event, n)
		for i := range evs {
			ev, err := events.Parse(drawEvent(t, i))
			if err != nil {
				t.Fatal(err)
			}
			evs[i] = ev
		}
		inOrder := slices.Clone(evs)
		slices.SortFunc(inOrder, func(a, b events.Event) int { return a.Mark().Compare(b.Mark()) })
		// Deliveries: a permutation with duplicates.
		var delivered []events.Event
		for _, i := range rapid.Permutation(indexes(n)).Draw(t, "order") {
			delivered = append(delivered, evs[i])
			if rapid.Bool().Draw(t, fmt.Sprintf("dup %d", i)) {
				delivered = append(delivered, evs[rapid.IntRange(0, n-1).Draw(t, "dup of")])
			}
		}
		want := run(t, inOrder)
		got := run(t, delivered)
		if d := gocmp.Diff(want, got, accountCmp); d != "" {
			t.Fatalf("delivery order changed the final account (-created order +delivery order):\n%s", d)
		}
	})
}

// The reports of an in-order run, composed with Changes.Then, describe
// exactly the difference between the first and the final state.
func TestProperty_Q2_ReportsComposeToTheNetDifference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "events")
		evs := make([]events.Event, n)
		for i := range evs {
			ev, err := events.Parse(drawEvent(t, i))
			if err != nil {
				t.Fatal(err)
			}
			evs[i] = ev
		}
		slices.SortFunc(evs, func(a, b events.Event) int { return a.Mark().Compare(b.Mark()) })
		now := t0.Add(time.Duration(rapid.IntRange(-3600, 3600).Draw(t, "now")) * time.Second)
		h, s := setupWith(t, "person_rep")
		first := stored(t, s)
		var net events.Changes
		for _, ev := range evs {
			r, err := h.ApplyAt(context.Background(), ev, now)
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != events.OutcomeApplied && !r.Changes.Empty() {
				t.Fatalf("%v report with changes: %+v", r.Outcome, r.Changes)
			}
			if net, err = net.Then(r.Changes); err != nil {
				t.Fatal(err)
			}
		}
		want := events.Diff(first, stored(t, s), now)
		if d := gocmp.Diff(want, net, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("composed reports differ from the net difference (-Diff +composed):\n%s", d)
		}
	})
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// run applies evs to a fresh store and returns the final account.
func run(t *rapid.T, evs []events.Event) account.Account {
	h, s := setupWith(t, "person_rep")
	for _, ev := range evs {
		if _, err := h.ApplyAt(context.Background(), ev, t0); err != nil {
			t.Fatalf("apply %s: %v", ev.ID, err)
		}
	}
	return stored(t, s)
}
