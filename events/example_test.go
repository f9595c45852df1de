package events_test

import (
	"context"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/events"
)

// The body of a webhook handler (after verifying Stripe's signature):
// decode, apply, act on the report, acknowledge. An older account.updated
// delivered after a newer one is skipped, not applied.
func Example() {
	ctx := context.Background()
	store := account.NewMemoryStore()
	if _, err := store.Create(ctx, account.NewStandard("acct_1", "US")); err != nil {
		panic(err)
	}
	clk := clocktest.New(time.Date(2025, 1, 2, 12, 0, 0, 0, time.UTC))
	h := &events.Handler{Accounts: &account.Service{Store: store, Clock: clk}, Clock: clk}

	webhook := func(body string) {
		ev, err := events.Parse([]byte(body))
		if err != nil {
			fmt.Println("400:", err) // malformed: Stripe's retry cannot help
			return
		}
		r, err := h.Apply(ctx, ev)
		if err != nil {
			fmt.Println("500:", err) // let Stripe retry
			return
		}
		fmt.Printf("%s %s: %s\n", r.EventID, r.Type, r.Outcome)
		for _, f := range r.Changes.NewlyCurrentlyDue() {
			fmt.Println("  now due:", f)
		}
		for _, f := range r.Changes.Cleared() {
			fmt.Println("  cleared:", f)
		}
		for _, c := range r.Changes.Capabilities {
			switch {
			case c.NewlyDisabled():
				fmt.Printf("  %s disabled (%s)\n", c.Capability, c.After.Status)
			case c.ReEnabled():
				fmt.Printf("  %s re-enabled\n", c.Capability)
			}
		}
	}
	webhook(`{"id":"evt_2","object":"event","type":"account.updated","created":1735819200,"account":"acct_1",
		"data":{"object":{"object":"account","id":"acct_1","country":"US","capabilities":{"card_payments":"active"},
		"requirements":{"currently_due":["individual.dob.day"],"eventually_due":["individual.dob.day"]}}}}`)
	webhook(`{"id":"evt_1","object":"event","type":"account.updated","created":1735815600,"account":"acct_1",
		"data":{"object":{"object":"account","id":"acct_1","country":"US","requirements":{}}}}`)
	webhook(`{"id":"evt_3","object":"event","type":"capability.updated","created":1735819260,"account":"acct_1",
		"data":{"object":{"object":"capability","id":"card_payments","account":"acct_1","status":"inactive",
		"requirements":{"currently_due":["individual.dob.day"]}}}}`)
	webhook(`{"id":"evt_4","object":"event","type":"account.updated","created":1735819320,"account":"acct_1",
		"data":{"object":{"object":"account","id":"acct_1","country":"US","requirements":{}}}}`)
	webhook(`{"id":"evt_5","object":"event","type":"capability.updated","created":1735819380,"account":"acct_1",
		"data":{"object":{"object":"capability","id":"card_payments","account":"acct_1","status":"active","requirements":{}}}}`)
	webhook(`{"id":"evt_9","object":"event","type":"payout.paid","created":1735819400,"data":{"object":{"object":"payout"}}}`)
	// Output:
	// evt_2 account.updated: applied
	//   now due: individual.dob.day
	// evt_1 account.updated: stale
	// evt_3 capability.updated: applied
	//   card_payments disabled (inactive)
	// evt_4 account.updated: applied
	// evt_5 capability.updated: applied
	//   cleared: individual.dob.day
	//   card_payments re-enabled
	// evt_9 payout.paid: unhandled
}
