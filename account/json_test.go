package account_test

import (
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/requirements"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// An Account's storage form (MarshalStorage) carries its requirements, through
// requirements.Set's lossless JSON encoding, and decodes back equal.
func TestAccount_JSONCarriesRequirements(t *testing.T) {
	reqs, err := requirements.NewSet(
		requirements.Entry{Field: "external_account", Status: requirements.PastDue,
			Capabilities: []requirements.Capability{requirements.Transfers}},
		requirements.Entry{Field: "risk_review", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue,
			RequestedReasons: []requirements.RequestedReason{requirements.ReasonRoutineOnboarding}},
	)
	if err != nil {
		t.Fatal(err)
	}
	a := account.NewCustom("acct_1", "US")
	a.Requirements = reqs
	a.Capabilities = []requirements.Capability{requirements.Transfers}
	a.LastActivity = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	a.Balance = account.Balances{"usd": decimal.RequireFromString("12.34")}
	data, err := account.MarshalStorage(a)
	if err != nil {
		t.Fatal(err)
	}
	back, err := account.UnmarshalStorage(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !back.Requirements.Equal(a.Requirements) || back.Requirements.Len() != 2 {
		t.Fatalf("requirements lost in\n%s", data)
	}
	if diff := cmp.Diff(a, back); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
}
