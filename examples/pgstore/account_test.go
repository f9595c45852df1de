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
// future_requirements — and everything Stripe said — a disabled reason,
// every list membership, each hash's deadline, v2 entries, unknown members
// — is stored and read back: the account's requirements go through
// requirements.Set's lossless JSON encoding.
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
	// Stripe's word from a capability and an Accounts v2 account, with
	// overlapping lists, a deadline per hash and unknown members whose
	// JSON jsonb would rewrite (numbers, member order, <, >, &).
	for _, p := range []struct {
		v2      bool
		payload string
	}{
		{false, `{"object":"capability","id":"card_payments","status":"pending","account":"acct_lossless","requirements":{"current_deadline":1767225600,"currently_due":["individual.dob.day"],"eventually_due":["individual.dob.day"],"past_due":[],"pending_verification":["individual.dob.day"],"errors":[{"code":"a_code_stripe_adds_later","reason":"r","requirement":"error_only.field","details":{"z":1.50,"a":"<&>"}}],"alternatives":[{"alternative_fields_due":["x"],"original_fields_due":["alternative_only.field"],"hint":"h"}],"disabled_reason":"requirements.fields_needed","x_new":1e2}}`},
		{true, `{"object":"v2.core.account","requirements":{"entries":[{"awaiting_action_from":"stripe","description":"identity.business_details.id_numbers","errors":[],"impact":{"restricts_capabilities":[{"capability":"bank_accounts.local","configuration":"recipient","deadline":{"status":"eventually_due"}}]},"minimum_deadline":{"status":"eventually_due"},"reference":{"type":"inquiry","inquiry":"inq_1"},"requested_reasons":[{"code":"routine_verification"}]}],"summary":{"minimum_deadline":{"status":"eventually_due","time":"2026-11-15T00:00:00.000Z"}}}}`},
	} {
		var o requirements.Set
		var err error
		if p.v2 {
			o, err = requirements.DecodeV2([]byte(p.payload))
		} else {
			o, err = requirements.DecodeV1([]byte(p.payload), nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := reqs.Merge(o); err != nil {
			t.Fatal(err)
		}
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
