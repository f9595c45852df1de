package events_test

import (
	"errors"
	"time"

	"github.com/google/go-cmp/cmp"
	"testing"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/events"
	"github.com/connectkit/connectkit/requirements"
)

// Every part of an account an account.updated writes
// (account.Account.WithAccountSnapshot) shows in Diff when it changes, so
// that no change is invisible to a report — nor to the property that
// reports compose to Diff (E1). One row per part connectkit models.
func TestDiff_L8_EveryPartAnAccountSnapshotWritesIsReported(t *testing.T) {
	reqs, err := requirements.DecodeV1(object0(t, "account_updated.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	base := account.AccountSnapshot{Country: "US", Email: "a@example.com", BusinessName: "Bakery",
		Capabilities: []requirements.Capability{"card_payments"}, CapabilitiesListed: true, ExternalAccountsListed: true}
	for _, tc := range []struct {
		name string
		edit func(s *account.AccountSnapshot)
	}{
		{"requirements", func(s *account.AccountSnapshot) { s.Requirements = reqs }},
		{"country", func(s *account.AccountSnapshot) { s.Country = "FR" }},
		{"email", func(s *account.AccountSnapshot) { s.Email = "b@example.com" }},
		{"business name", func(s *account.AccountSnapshot) { s.BusinessName = "Bakery & Co" }},
		{"requested capabilities", func(s *account.AccountSnapshot) {
			s.Capabilities = []requirements.Capability{"card_payments", "transfers"}
		}},
		{"external payout account (L8)", func(s *account.AccountSnapshot) { s.HasExternalAccount = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, err := account.NewStandard(fixtureAccount, "US").WithAccountSnapshot(base)
			if err != nil {
				t.Fatal(err)
			}
			snap := base
			tc.edit(&snap)
			after, err := before.WithAccountSnapshot(snap)
			if err != nil {
				t.Fatal(err)
			}
			if c := events.Diff(before, after, t0); c.Empty() {
				t.Errorf("the account changed (%s) but Diff reports nothing", tc.name)
			}
			if c := events.Diff(after, after, t0); !c.Empty() {
				t.Errorf("Diff of an account with itself = %+v", c)
			}
		})
	}
}

// An account.updated whose external_accounts lists a bank account reports
// the L8 fact "an external payout account is on file" newly true; one
// that lists none reports it gone.
func TestApply_L8_ExternalPayoutAccountIsAnL8Fact(t *testing.T) {
	h, s := setup(t)
	withBank := edit(t, "account_updated.json", func(env map[string]any) {
		object(env)["external_accounts"] = map[string]any{"object": "list", "data": []any{map[string]any{"id": "ba_1", "object": "bank_account"}},
			"has_more": false, "total_count": 1, "url": "/v1/accounts/acct_1PgafTB7WZ01zgkW/external_accounts"}
	})
	r := apply(t, h, withBank, t0.Add(time.Hour))
	facts := events.L8Facts{RepresentativeName: true, RepresentativeDOB: true}
	withAcct := facts
	withAcct.ExternalAccount = true
	if d := cmp.Diff(&events.L8Change{Before: facts, After: withAcct}, r.Changes.L8); d != "" {
		t.Errorf("L8 facts (-want +got):\n%s", d)
	}
	if !stored(t, s).HasExternalAccount {
		t.Error("HasExternalAccount not stored")
	}
	without := edit(t, "account_updated.json", func(env map[string]any) {
		env["id"], env["created"] = "evt_2Acct", float64(t0.Add(time.Minute).Unix())
	})
	r = apply(t, h, without, t0.Add(time.Hour))
	if d := cmp.Diff(&events.L8Change{Before: withAcct, After: facts}, r.Changes.L8); d != "" {
		t.Errorf("L8 facts after the bank account went (-want +got):\n%s", d)
	}
}

// Changes.Then composes the changes of one object: the changes of two
// different Financial Connections accounts (K2, K4) or two different relink
// requests are refused, never merged under one name; those of the same FC
// account compose to the first's before and the last's after.
func TestThen_K4_RefusesToMergeDifferentFCAccounts(t *testing.T) {
	deadline := t0.Add(24 * time.Hour)
	a := events.Changes{FCAccount: &events.FCAccountChange{Account: "fca_1", EligibleAfter: true, Deadline: deadline}}
	b := events.Changes{FCAccount: &events.FCAccountChange{Account: "fca_2", EligibleBefore: true}}
	if got, err := a.Then(b); !errors.Is(err, events.ErrInvalid) || !got.Empty() {
		t.Errorf("Then(fca_1, fca_2) = %+v, %v; want ErrInvalid and no changes", got, err)
	}
	same := events.Changes{FCAccount: &events.FCAccountChange{Account: "fca_1", EligibleBefore: true}}
	got, err := a.Then(same)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&events.FCAccountChange{Account: "fca_1"}, got.FCAccount); d != "" {
		t.Errorf("Then(fca_1, fca_1) (-want +got):\n%s", d)
	}
	r1 := events.Changes{RelinkRequest: &events.RelinkRequestChange{Request: "rr_1", Result: "completed"}}
	r2 := events.Changes{RelinkRequest: &events.RelinkRequestChange{Request: "rr_2", Result: "failed"}}
	if _, err := r1.Then(r2); !errors.Is(err, events.ErrInvalid) {
		t.Errorf("Then(rr_1, rr_2) = %v, want ErrInvalid", err)
	}
	// Changes of one FC account compose with an account's own changes.
	if got, err := a.Then(events.Changes{Removed: true}); err != nil || got.FCAccount == nil || !got.Removed {
		t.Errorf("Then(fca_1, removed) = %+v, %v", got, err)
	}
}
