package requirements_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"github.com/google/go-cmp/cmp"
)

// A Stripe-shaped account.updated data.object.
const stripeAccount = `{
  "id": "acct_1Nv0FGQ9RKHgCVdK",
  "object": "account",
  "charges_enabled": false,
  "requirements": {
    "alternatives": [
      {"alternative_fields_due": ["individual.verification.document"], "original_fields_due": ["individual.id_number"]}
    ],
    "current_deadline": 1735776000,
    "currently_due": ["external_account", "individual.dob.day", "individual.id_number"],
    "disabled_reason": "requirements.past_due",
    "errors": [
      {"code": "invalid_dob_age_under_18", "reason": "The person must be at least 18.", "requirement": "individual.dob.day"},
      {"code": "a_code_stripe_added_next_year", "reason": "New.", "requirement": "individual.dob.day"}
    ],
    "eventually_due": ["company.tax_id", "external_account", "individual.dob.day", "individual.id_number"],
    "past_due": ["external_account"],
    "pending_verification": ["individual.verification.document.front"]
  },
  "future_requirements": {
    "alternatives": [],
    "current_deadline": 1767225600,
    "currently_due": ["individual.address.line1"],
    "disabled_reason": null,
    "errors": [],
    "eventually_due": ["individual.address.line1"],
    "past_due": [],
    "pending_verification": []
  }
}`

func TestDecodeV1_Q1_MostSevereStatusWins(t *testing.T) {
	impact := requirements.Impact{"external_account": {requirements.Transfers}}
	s, err := requirements.DecodeV1([]byte(stripeAccount), impact)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Unix(1735776000, 0).UTC()
	want := []requirements.Entry{
		{Field: "company.tax_id", Status: requirements.EventuallyDue},
		{Field: "external_account", Status: requirements.PastDue, Deadline: deadline, Capabilities: []requirements.Capability{requirements.Transfers}},
		{Field: "individual.dob.day", Status: requirements.CurrentlyDue, Deadline: deadline, Errors: []requirements.Error{
			{Code: requirements.CodeInvalidDOBAgeUnder18, Reason: "The person must be at least 18."},
			{Code: "a_code_stripe_added_next_year", Reason: "New."},
		}},
		{Field: "individual.id_number", Status: requirements.CurrentlyDue, Deadline: deadline, Alternatives: [][]string{{"individual.verification.document"}}},
		{Field: "individual.verification.document.front", Status: requirements.PendingVerification},
		{Field: "individual.address.line1", Status: requirements.CurrentlyDue, Future: true, Deadline: time.Unix(1767225600, 0).UTC(),
			RequestedReasons: []requirements.RequestedReason{requirements.ReasonFutureRequirements}},
	}
	if diff := cmp.Diff(want, s.Entries()); diff != "" {
		t.Fatalf("entries (-want +got):\n%s", diff)
	}
	if got := s.DisabledReason(); got != requirements.ReasonRequirementsPastDue {
		t.Fatalf("DisabledReason = %q", got)
	}
}

func TestEncodeV1_Q1_WritesOverlappingListsLikeStripe(t *testing.T) {
	s := mustSet(t,
		requirements.Entry{Field: "a", Status: requirements.PastDue, Deadline: t0},
		requirements.Entry{Field: "b", Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "c", Status: requirements.EventuallyDue},
		requirements.Entry{Field: "d", Status: requirements.PendingVerification},
		requirements.Entry{Field: "r", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue},
	)
	got := s.V1()
	dl := t0.Unix()
	pd := requirements.ReasonRequirementsPastDue
	want := requirements.V1{
		Requirements: &requirements.V1Hash{
			Alternatives: []requirements.V1Alternative{}, Errors: []requirements.V1Error{},
			CurrentDeadline: &dl, DisabledReason: &pd,
			PastDue: []string{"a"}, CurrentlyDue: []string{"a", "b"}, EventuallyDue: []string{"a", "b", "c"},
			PendingVerification: []string{"d"},
		},
		FutureRequirements: &requirements.V1Hash{
			Alternatives: []requirements.V1Alternative{}, Errors: []requirements.V1Error{},
			PastDue: []string{}, CurrentlyDue: []string{}, EventuallyDue: []string{}, PendingVerification: []string{},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("V1 (-want +got):\n%s", diff)
	}
}

func TestDecodeV1_Q1_UnknownValuesKept(t *testing.T) {
	in := `{"requirements":{"currently_due":["brand_new.field[0]"],"eventually_due":["brand_new.field[0]"],
	"disabled_reason":"rejected.something_new","errors":[{"code":"new_code","reason":"r","requirement":"brand_new.field[0]"}]}}`
	s, err := requirements.DecodeV1([]byte(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.DisabledReason() != "rejected.something_new" {
		t.Fatalf("DisabledReason = %q", s.DisabledReason())
	}
	e, ok := s.Lookup("brand_new.field[0]", false)
	if !ok || e.Errors[0].Code != "new_code" {
		t.Fatalf("entry = %+v", e)
	}
}

func TestDecodeV1_Q1_CapabilityObject(t *testing.T) {
	in := `{"object":"capability","id":"card_payments","requirements":{"past_due":["x"],"currently_due":["x"],"eventually_due":["x"]}}`
	s, err := requirements.DecodeV1([]byte(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := s.DisabledCapabilities()
	want := []requirements.DisabledCapability{{Capability: requirements.CardPayments, Reason: requirements.ReasonRequirementsPastDue, Fields: []string{"x"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestDecodeV1_Q1_MalformedIsAnError(t *testing.T) {
	tests := []struct{ name, in string }{
		{"not json", `{`},
		{"list is a string", `{"requirements":{"currently_due":"a"}}`},
		{"number in list", `{"requirements":{"currently_due":[1]}}`},
		{"null field", `{"requirements":{"currently_due":[null]}}`},
		{"empty field", `{"requirements":{"currently_due":[""]}}`},
		{"field with space", `{"requirements":{"currently_due":["a b"]}}`},
		{"deadline string", `{"requirements":{"current_deadline":"1700000000"}}`},
		{"deadline fraction", `{"requirements":{"current_deadline":1.5}}`},
		{"deadline negative", `{"requirements":{"current_deadline":-1}}`},
		{"deadline zero", `{"requirements":{"current_deadline":0}}`},
		{"deadline absurd", `{"requirements":{"current_deadline":99999999999999}}`},
		{"error names unheld field", `{"requirements":{"errors":[{"code":"c","reason":"r","requirement":"nope"}]}}`},
		{"error without code", `{"requirements":{"currently_due":["a"],"errors":[{"reason":"r","requirement":"a"}]}}`},
		{"alternative names unheld field", `{"requirements":{"alternatives":[{"alternative_fields_due":["b"],"original_fields_due":["a"]}]}}`},
		{"alternative empty", `{"requirements":{"currently_due":["a"],"alternatives":[{"alternative_fields_due":[],"original_fields_due":["a"]}]}}`},
		{"disabled reason number", `{"requirements":{"disabled_reason":3}}`},
		{"future hash wrong type", `{"future_requirements":[]}`},
		{"top level array", `[]`},
		{"capability without id", `{"object":"capability","requirements":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := requirements.DecodeV1([]byte(tt.in), nil)
			if !errors.Is(err, requirements.ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
		})
	}
}

// FuzzDecodeV1 checks that the decoder never panics and that what it
// accepts round-trips: decode → encode → decode gives the same set, and
// encoding is stable.
func FuzzDecodeV1(f *testing.F) {
	for _, s := range []string{
		stripeAccount,
		`{}`, `null`, `{"requirements":null}`,
		`{"requirements":{"currently_due":["a"],"eventually_due":["a","b"],"past_due":["a"],"current_deadline":1700000000}}`,
		`{"future_requirements":{"past_due":["x"],"pending_verification":["x","y"],"disabled_reason":"requirements.pending_verification"}}`,
		`{"requirements":{"pending_verification":["p"],"disabled_reason":"requirements.pending_verification"}}`,
		`{"requirements":{"currently_due":["a","b"],"alternatives":[{"alternative_fields_due":["c"],"original_fields_due":["a","b"]},{"alternative_fields_due":["d"],"original_fields_due":["a"]}]}}`,
		`{"object":"capability","id":"transfers","requirements":{"past_due":["q"]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s1, err := requirements.DecodeV1(data, nil)
		if err != nil {
			if !errors.Is(err, requirements.ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		out1, err := requirements.EncodeV1(s1)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		s2, err := requirements.DecodeV1(out1, s1.Impact())
		if err != nil {
			t.Fatalf("re-decode of %s: %v", out1, err)
		}
		if !s1.Equal(s2) {
			t.Fatalf("round trip changed the set:\n%s", cmp.Diff(s1.Entries(), s2.Entries()))
		}
		out2, err := requirements.EncodeV1(s2)
		if err != nil || !bytes.Equal(out1, out2) {
			t.Fatalf("encoding not stable:\n%s\n%s", out1, out2)
		}
	})
}
