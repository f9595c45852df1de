package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/requirements"
)

func TestAccountStore_Conformance(t *testing.T) {
	accounttest.TestStore(t, func(t *testing.T) account.Store {
		return pgstore.NewAccountStore(newDB(t))
	})
}

// What Stripe's v1 shape cannot carry — an information request, the
// capabilities each entry affects, requested reasons other than
// future_requirements, a disabled reason Stripe gave — is stored and read
// back: the account's requirements go through requirements.Set's lossless
// JSON encoding.
func TestAccountStore_RequirementsStoredLosslessly(t *testing.T) {
	ctx := context.Background()
	store := pgstore.NewAccountStore(newDB(t))
	reqs, err := requirements.DecodeV1([]byte(`{"requirements":{"disabled_reason":"under_review"}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []requirements.Entry{
		{Field: "external_account", Status: requirements.PastDue, Capabilities: []requirements.Capability{requirements.Transfers}},
		{Field: "risk_review", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue,
			RequestedReasons: []requirements.RequestedReason{requirements.ReasonRoutineOnboarding}},
		{Field: "company.tax_id", Status: requirements.EventuallyDue, Future: true,
			RequestedReasons: []requirements.RequestedReason{"a_reason_stripe_adds_later"}},
	} {
		if err := reqs.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := reqs.SetDeadline(false, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	a := account.NewCustom("acct_lossless", "US")
	a.Requirements = reqs
	created, err := store.Create(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.Get(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []account.Account{created, got} {
		if !g.Requirements.Equal(reqs) {
			t.Fatalf("requirements changed in the store:\n%s", cmp.Diff(reqs.Entries(), g.Requirements.Entries()))
		}
	}
	if got.Requirements.DisabledReason() != requirements.ReasonUnderReview {
		t.Fatalf("DisabledReason = %q", got.Requirements.DisabledReason())
	}
}
