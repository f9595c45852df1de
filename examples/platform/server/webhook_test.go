package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/events"
	"github.com/connectkit/connectkit/examples/platform/server"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
)

// event is a v1 event envelope around object, as Stripe delivers it.
func event(t *testing.T, id, typ string, created int64, object any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "created": created,
		"livemode": false, "api_version": "2025-01-27.acacia", "data": map[string]any{"object": object}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// deliver POSTs body to the webhook as Stripe does.
func (e *env) deliver(body string) reply {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.url+"/webhooks/stripe", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Stripe-Signature", "t=1,v1=unchecked-in-this-test")
	resp, err := noFollow().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b), url: resp.Request.URL}
}

// report decodes a 200 answer's report.
func report(t *testing.T, r reply) events.Report {
	t.Helper()
	var rep events.Report
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" || json.Unmarshal([]byte(r.body), &rep) != nil {
		t.Fatalf("webhook answer %d (%s): %s, want 200 with a report", r.status, r.header.Get("Content-Type"), r.body)
	}
	return rep
}

func accountObject(id string, due ...string) map[string]any {
	if due == nil {
		due = []string{}
	}
	return map[string]any{"object": "account", "id": id, "country": "US",
		"requirements": map[string]any{"currently_due": due, "eventually_due": due, "past_due": []string{}}}
}

// TestWebhook_Q1_OutOfOrderBurstDuplicateUnknown: a newer account.updated
// then an older one: the older is reported stale and changes nothing; the
// newer delivered again is a duplicate; an unknown type is acknowledged.
// Every answer is 200, so Stripe stops retrying.
func TestWebhook_Q1_OutOfOrderBurstDuplicateUnknown(t *testing.T) {
	e := start(t, nil)
	demo := string(server.DemoAccount)
	newer := event(t, "evt_2", "account.updated", t0.Unix()-60, accountObject(demo, "tos_acceptance.date"))
	older := event(t, "evt_1", "account.updated", t0.Unix()-120, accountObject(demo))

	rep := report(t, e.deliver(newer))
	if rep.Outcome != events.OutcomeApplied || rep.Account != server.DemoAccount || !rep.At.Equal(t0) {
		t.Fatalf("newer: %+v", rep)
	}
	if got := rep.Changes.NewlyCurrentlyDue(); len(got) != 1 || got[0] != "tos_acceptance.date" {
		t.Fatalf("newer: newly due %v, want tos_acceptance.date", got)
	}
	if rep := report(t, e.deliver(older)); rep.Outcome != events.OutcomeStale || rep.EventID != "evt_1" {
		t.Fatalf("older after newer: %+v, want stale", rep)
	}
	if rep := report(t, e.deliver(newer)); rep.Outcome != events.OutcomeDuplicate {
		t.Fatalf("newer again: %+v, want duplicate", rep)
	}
	a, err := e.accts.Get(context.Background(), server.DemoAccount)
	if _, due := a.Requirements.Lookup("tos_acceptance.date"); err != nil || !due {
		t.Fatalf("stored requirements %v (%v): the stale event overwrote the newer", a.Requirements, err)
	}
	payout := event(t, "evt_9", "payout.paid", t0.Unix(), map[string]any{"object": "payout", "id": "po_1"})
	if rep := report(t, e.deliver(payout)); rep.Outcome != events.OutcomeUnhandled || rep.Type != "payout.paid" {
		t.Fatalf("unknown type: %+v, want unhandled", rep)
	}
}

// TestWebhook_Q1_CapabilityUpdated: a capability.updated changes that
// capability and reports it newly disabled.
func TestWebhook_Q1_CapabilityUpdated(t *testing.T) {
	e := start(t, nil)
	demo := string(server.DemoAccount)
	report(t, e.deliver(event(t, "evt_1", "account.updated", t0.Unix()-60,
		map[string]any{"object": "account", "id": demo, "country": "US", "capabilities": map[string]string{"card_payments": "active"}, "requirements": map[string]any{}})))
	rep := report(t, e.deliver(event(t, "evt_2", "capability.updated", t0.Unix()-30,
		map[string]any{"object": "capability", "id": "card_payments", "account": demo, "status": "inactive",
			"requirements": map[string]any{"currently_due": []string{"individual.dob.day"}}})))
	if rep.Outcome != events.OutcomeApplied || len(rep.Changes.Capabilities) != 1 || !rep.Changes.Capabilities[0].NewlyDisabled() {
		t.Fatalf("capability.updated: %+v", rep)
	}
}

// TestWebhook_K2_FCAccountEventMakesARelinkPossible: relink decides on
// the FC account the webhook stored: refused while Stripe reports it
// active, allowed once an event reports it inactive with relink_required.
func TestWebhook_K2_FCAccountEventMakesARelinkPossible(t *testing.T) {
	e := start(t, nil)
	fca := relink.Account{ID: "fca_hook", Livemode: true, Status: relink.AccountActive,
		Holder: relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1", Email: "jenny@example.com"}}
	ask := url.Values{"method": {"hosted_dashboard"}}
	u := e.url + "/relink/accounts/fca_hook/requests"
	problem(t, do(t, noFollow(), "POST", u, ada, ask), http.StatusNotFound) // not stored yet

	rep := report(t, e.deliver(event(t, "evt_fc1", "financial_connections.account.refreshed_balance", t0.Unix()-60, fca)))
	if rep.Outcome != events.OutcomeApplied || rep.Changes.FCAccount == nil || rep.Changes.FCAccount.EligibleAfter {
		t.Fatalf("active FC account: %+v", rep)
	}
	problem(t, do(t, noFollow(), "POST", u, ada, ask), http.StatusUnprocessableEntity)

	fca.Status = relink.AccountInactive
	fca.Inactive = relink.InactiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired}
	rep = report(t, e.deliver(event(t, "evt_fc2", "financial_connections.account.deactivated", t0.Unix()-30, fca)))
	if rep.Outcome != events.OutcomeApplied || rep.Changes.FCAccount == nil || !rep.Changes.FCAccount.NewlyEligible() {
		t.Fatalf("deactivated: %+v, want newly eligible", rep)
	}
	if r := do(t, noFollow(), "POST", u, ada, ask); r.status != http.StatusCreated {
		t.Fatalf("relink after the event: %d %s", r.status, r.body)
	}
	// A Dashboard user without the role, on an FC account that is not
	// eligible: the 403 tells nothing of the account (only the role).
	fca.ID, fca.Status, fca.Inactive = "fca_gone", relink.AccountDisconnected, relink.InactiveDetails{}
	report(t, e.deliver(event(t, "evt_fc3", "financial_connections.account.disconnected", t0.Unix(), fca)))
	r := do(t, noFollow(), "POST", e.url+"/relink/accounts/fca_gone/requests", vic, ask)
	var d relink.Decision
	if p := problem(t, r, http.StatusForbidden); json.Unmarshal(p.Decision, &d) != nil || d.Reasons != relink.ReasonsOf(relink.ReasonRoleNotPermitted) || strings.Contains(r.body, "disconnected") {
		t.Fatalf("View Only on a disconnected account: %s", r.body)
	}
}

// TestWebhook_A1_AccountNotYetStoredIsRetried: an event for an account the
// platform has not stored answers with its error's kind (404), so Stripe
// delivers it again; once the account exists, the redelivery applies.
func TestWebhook_A1_AccountNotYetStoredIsRetried(t *testing.T) {
	e := start(t, nil)
	ev := event(t, "evt_new", "account.updated", t0.Unix(), accountObject("acct_later", "external_account"))
	if p := problem(t, e.deliver(ev), http.StatusNotFound); p.Kind != errkind.NotFound || strings.Contains(p.Detail, "acct_later") {
		t.Fatalf("unknown account: %+v", p)
	}
	if _, err := e.accts.Create(context.Background(), account.NewCustom("acct_later", "US")); err != nil {
		t.Fatal(err)
	}
	if rep := report(t, e.deliver(ev)); rep.Outcome != events.OutcomeApplied {
		t.Fatalf("redelivery: %+v", rep)
	}
}

// TestWebhook_Q1_MalformedIs400WithoutEcho: a malformed delivery is a 400
// problem that repeats nothing of the body.
func TestWebhook_Q1_MalformedIs400WithoutEcho(t *testing.T) {
	e := start(t, nil)
	tests := []struct{ name, body, leak string }{
		{"not JSON", `{"id":"evt_1","email":"jenny@example.com"`, "jenny@example.com"},
		{"not an event", `{"object":"charge","id":"ch_jenny@example.com"}`, "jenny@example.com"},
		{"object of the wrong type", event(t, "evt_1", "account.updated", t0.Unix(), map[string]any{"object": "jenny@example.com", "id": "acct_demo"}), "jenny@example.com"},
		{"bad country", event(t, "evt_1", "account.updated", t0.Unix(), map[string]any{"object": "account", "id": "acct_demo", "country": "jenny@example.com"}), "jenny@example.com"},
		{"NUL", `{"id":"evt_1","object":"event","type":"account.updated\u0000jenny@example.com"}`, "jenny@example.com"},
		{"oversized", `{"id":"` + strings.Repeat("x", events.MaxEventBytes) + `"}`, "xxxxxxxx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.deliver(tt.body)
			if p := problem(t, r, http.StatusBadRequest); p.Kind != errkind.InvalidInput || strings.Contains(r.body, tt.leak) {
				t.Fatalf("the answer repeats the input or is not invalid_input: %s", r.body)
			}
		})
	}
}

// TestWebhook_VerifierRefusesBeforeAnythingIsRead: a refused signature is
// a 400 and applies nothing; without a verifier the route is not served.
func TestWebhook_VerifierRefusesBeforeAnythingIsRead(t *testing.T) {
	for _, tt := range []struct {
		name   string
		verify server.WebhookVerifier
		status int
	}{
		{"refusing verifier", func(h http.Header, _ []byte) error {
			if h.Get("Stripe-Signature") == "" {
				t.Error("the verifier did not get the Stripe-Signature header")
			}
			return errors.New("signature mismatch")
		}, http.StatusBadRequest},
		{"no verifier", nil, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			accts, rl := account.NewMemoryStore(), relink.NewMemoryStore()
			if err := server.SeedDemo(context.Background(), accts, rl); err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewUnstartedServer(nil)
			base := "http://" + ts.Listener.Addr().String()
			s, err := server.New(server.Config{BaseURL: base, Accounts: accts, Links: links.NewMemoryStore(), Relink: rl,
				VerifyWebhook: tt.verify, Clock: clocktest.New(t0), Rand: rand.NewChaCha8([32]byte{})})
			if err != nil {
				t.Fatal(err)
			}
			ts.Config.Handler = s
			ts.Start()
			defer ts.Close()
			e := &env{t: t, url: base, accts: accts}
			r := e.deliver(event(t, "evt_1", "account.updated", t0.Unix(), accountObject(string(server.DemoAccount))))
			problem(t, r, tt.status)
			if a, _ := accts.Get(context.Background(), server.DemoAccount); a.Requirements.Len() == 0 {
				t.Fatal("a refused delivery was applied")
			}
		})
	}
}
