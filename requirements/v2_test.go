package requirements_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/requirements/requirementstest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestDecodeV2_Q1_Example(t *testing.T) {
	in := fixture(t, "v2_account_example.json")
	s, err := requirements.DecodeV2(in)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	h, _ := s.Hash(requirements.Source{V2: true})
	if !h.Deadline.Equal(deadline) || h.MinimumStatus != requirements.PastDue {
		t.Fatalf("hash %+v", h)
	}
	doc, _ := s.LookupIn(requirements.Source{V2: true}, "identity.individual.verification.document")
	if doc.Lists != requirements.ListsOf(requirements.CurrentlyDue) || !doc.Deadline.Equal(deadline) ||
		doc.AwaitingActionFrom != requirements.ActorAccount || len(doc.Errors) != 1 || doc.Errors[0].Code.Remedy() != requirements.RemedyUploadDocument ||
		!cmp.Equal(doc.Capabilities, []requirements.Capability{requirements.CardPayments, "stripe_balance.payouts"}) {
		t.Fatalf("entry %+v", doc)
	}
	// awaiting_action_from: stripe is the v2 form of "under review".
	ids, _ := s.LookupIn(requirements.Source{V2: true}, "identity.business_details.id_numbers")
	if !ids.Lists.Has(requirements.PendingVerification) || ids.AwaitingActionFrom != requirements.ActorStripe {
		t.Fatalf("entry %+v", ids)
	}
	// The past due entry restricts card_payments: disabled by Stripe's word.
	var off []requirements.Capability
	for _, c := range s.DisabledCapabilitiesAt(deadline.Add(-time.Hour)) {
		off = append(off, c.Capability)
	}
	if !cmp.Equal(off, []requirements.Capability{requirements.CardPayments}) {
		t.Fatalf("disabled before the deadline: %v", off)
	}
	if st := s.DisabledAt(deadline); !cmp.Equal(st.Overdue, []string{"identity.individual.verification.document"}) || !cmp.Equal(st.PastDue, []string{"identity.business_details.registered_name"}) {
		t.Fatalf("standing at the deadline %+v", st)
	}
	out, err := requirements.EncodeV2(s)
	if err != nil {
		t.Fatal(err)
	}
	want := keepMembers(t, in, "object", "id", "requirements", "future_requirements")
	sameJSON(t, want, out)
}

func TestDecodeV2_Q1_WrongObjectsRefused(t *testing.T) {
	tests := []struct{ name, payload, seen string }{
		{"v1 account", `{"object":"account","requirements":{}}`, `object "account"`},
		{"v2 event", `{"object":"v2.core.event","type":"v2.core.account.updated"}`, `object "v2.core.event"`},
		{"without include", `{"object":"v2.core.account","id":"acct_1"}`, "without requirements"},
		{"empty object", `{}`, "an empty object"},
		{"null requirements", `{"object":"v2.core.account","requirements":null}`, "without requirements"},
		{"null hashes", `{"object":"v2.core.account","requirements":null,"future_requirements":null}`, "without requirements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := requirements.DecodeV2([]byte(tt.payload))
			var we *requirements.WrongObjectError
			if !errors.Is(err, requirements.ErrWrongObject) || !errors.As(err, &we) || !strings.Contains(we.Seen, tt.seen) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestDecodeV2_Q1_MalformedRefused(t *testing.T) {
	entry := func(over string) string {
		return `{"object":"v2.core.account","requirements":{"entries":[{"awaiting_action_from":"user","description":"a","errors":[],"impact":{},"minimum_deadline":{"status":"currently_due"},"requested_reasons":[]` + over + `}]}}`
	}
	tests := []struct{ name, payload string }{
		{"unknown deadline status", strings.Replace(entry(``), `"currently_due"`, `"soon"`, 1)},
		{"NUL in a description", strings.Replace(entry(``), `"a"`, `"a\u0000"`, 1)},
		{"NUL in an unknown member", entry(`,"x\u0000":1`)},
		{"bad time", `{"object":"v2.core.account","requirements":{"entries":[],"summary":{"minimum_deadline":{"status":"past_due","time":"yesterday"}}}}`},
		{"duplicate entry", `{"object":"v2.core.account","requirements":{"entries":[` + strings.Repeat(`{"awaiting_action_from":"user","description":"a","errors":[],"impact":{},"minimum_deadline":{"status":"currently_due"},"requested_reasons":[]},`, 2) + `{"awaiting_action_from":"user","description":"b","errors":[],"impact":{},"minimum_deadline":{"status":"currently_due"},"requested_reasons":[]}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := requirements.DecodeV2([]byte(tt.payload)); !errors.Is(err, requirements.ErrMalformed) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestV2_Q1_RoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := requirementstest.V2Payload().Draw(t, "payload")
		s, err := requirements.DecodeV2(p)
		if err != nil {
			t.Fatalf("DecodeV2: %v", err)
		}
		out, err := requirements.EncodeV2(s)
		if err != nil {
			t.Fatalf("EncodeV2: %v", err)
		}
		want, _ := requirementstest.NormalizeJSON(p)
		got, _ := requirementstest.NormalizeJSON(out)
		if string(want) != string(got) {
			t.Fatalf("encode(decode(p)) differs:\n%s", cmp.Diff(string(want), string(got)))
		}
		back, err := requirements.DecodeV2(out)
		if err != nil || !back.Equal(s) {
			t.Fatalf("decode(encode(s)) != s: %v", err)
		}
		checkSetJSON(t, s)
	})
}

func FuzzDecodeV2(f *testing.F) {
	f.Add(fixture(f, "v2_account_example.json"))
	for i := range 8 {
		f.Add(requirementstest.V2Payload().Example(i))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := requirements.DecodeV2(in)
		decodeBudget.Check(t, "DecodeV2", len(in), func() { _, _ = requirements.DecodeV2(in) })
		if err != nil {
			if !errors.Is(err, requirements.ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		out, err := requirements.EncodeV2(s)
		if err != nil {
			t.Fatalf("EncodeV2 of a decoded set: %v", err)
		}
		back, err := requirements.DecodeV2(out)
		if err != nil || !back.Equal(s) {
			t.Fatalf("decode(encode(s)) != s: %v\n%s", err, out)
		}
		checkSetJSON(t, s)
		checkReadsBounded(t, in, s)
	})
}
