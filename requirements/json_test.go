package requirements_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/requirements/requirementstest"
	"pgregory.net/rapid"
)

func TestSetJSON_Q1_RoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := requirementstest.DrawSet(t, "set", requirementstest.SetOptions{})
		checkSetJSON(t, s)
	})
}

// Sets stored by earlier versions (one status per field, one deadline per
// hash) stay readable: each status becomes the lists Stripe writes it in.
func TestSetJSON_Q1_ReadsTheEarlierEncoding(t *testing.T) {
	legacy := `{"current_deadline":1735776000,"disabled_reason":"under_review","v1_extra":{"minimum_deadline":"{\"at\":1}"},
	  "entries":[{"field":"external_account","kind":"requirement","status":"past_due","capabilities":["transfers"],
	              "errors":[{"code":"invalid_tax_id","reason":"r"}]},
	             {"field":"risk_review","kind":"information_request","status":"currently_due"},
	             {"field":"company.tax_id","kind":"requirement","status":"eventually_due","future":true}]}`
	var s requirements.Set
	if err := json.Unmarshal([]byte(legacy), &s); err != nil {
		t.Fatal(err)
	}
	e, _ := s.Lookup("external_account")
	if e.Lists != requirements.StripeLists(requirements.PastDue) || e.Deadline.Unix() != 1735776000 || len(e.Errors) != 1 ||
		s.DisabledReason() != requirements.ReasonUnderReview || string(s.V1Extra(false)["minimum_deadline"]) != `{"at":1}` {
		t.Fatalf("entry %+v reason %q", e, s.DisabledReason())
	}
	if f, ok := s.LookupFuture("company.tax_id"); !ok || !f.Future {
		t.Fatal("future entry lost")
	}
	checkSetJSON(t, s)
}

func TestSetJSON_Q1_RefusesWhatAddRefuses(t *testing.T) {
	h := func(entries string) string { return `{"version":2,"hashes":[{"entries":[` + entries + `]}]}` }
	tests := []struct{ name, in string }{
		{"another version", `{"version":3,"hashes":[]}`},
		{"unknown member", `{"version":2,"hashes":[],"x":1}`},
		{"trailing data", `{"version":2,"hashes":[]} {}`},
		{"NUL in a field", h(`{"field":"a\u0000","kind":"requirement","lists":["currently_due"]}`)},
		{"invalid UTF-8 in a field", h("{\"field\":\"a\xff\",\"kind\":\"requirement\",\"lists\":[\"currently_due\"]}")},
		{"no list", h(`{"field":"a","kind":"requirement","lists":[]}`)},
		{"unknown list", h(`{"field":"a","kind":"requirement","lists":["overdue"]}`)},
		{"field twice", h(`{"field":"a","kind":"requirement","lists":["currently_due"]},{"field":"a","kind":"requirement","lists":["past_due"]}`)},
		{"hash twice", `{"version":2,"hashes":[{"entries":[]},{"entries":[]}]}`},
		{"deadline on eventually due", h(`{"field":"a","kind":"requirement","lists":["eventually_due"],"deadline":5}`)},
		{"v2 member in a v1 hash", h(`{"field":"a","kind":"requirement","lists":["currently_due"],"awaiting_action_from":"user"}`)},
		{"unknown member named like a known one", `{"version":2,"hashes":[{"entries":[],"extra":{"past_due":"[]"}}]}`},
		{"unknown member not JSON", `{"version":2,"hashes":[{"entries":[],"extra":{"x":"{"}}]}`},
		{"NUL in an unknown member name", `{"version":2,"hashes":[{"entries":[],"extra":{"x\u0000":"1"}}]}`},
		{"NUL in an error reason", `{"version":2,"hashes":[{"entries":[],"errors":[{"requirement":"a","code":"x","reason":"\u0000"}]}]}`},
		{"absurd field", h(`{"field":"` + strings.Repeat("a", requirements.MaxNameLen+1) + `","kind":"requirement","lists":["currently_due"]}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSet(t, requirements.Entry{Field: "kept", Status: requirements.CurrentlyDue})
			before := s.Clone()
			err := s.UnmarshalJSON([]byte(tt.in))
			var de *requirements.DecodeError
			if !errors.Is(err, requirements.ErrMalformed) || !errors.As(err, &de) || de.Encoding != "set" {
				t.Fatalf("err = %v", err)
			}
			if !s.Equal(before) {
				t.Fatal("a refused decode changed the set")
			}
		})
	}
}

func FuzzSetJSON(f *testing.F) {
	for i := range 4 {
		b, _ := json.Marshal(requirementstest.Set(requirementstest.SetOptions{}).Example(i))
		f.Add(b)
		s, _ := requirements.DecodeV1(requirementstest.V1Payload().Example(i), nil)
		b, _ = json.Marshal(s)
		f.Add(b)
		s, _ = requirements.DecodeV2(requirementstest.V2Payload().Example(i))
		b, _ = json.Marshal(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var s requirements.Set
		err := s.UnmarshalJSON(in)
		decodeBudget.Check(t, "Set.UnmarshalJSON", len(in), func() { var x requirements.Set; _ = x.UnmarshalJSON(in) })
		if err != nil {
			if !errors.Is(err, requirements.ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		checkSetJSON(t, s)
		checkReadsBounded(t, in, s)
		_, _ = requirements.EncodeV1(s)
		_, _ = requirements.EncodeV2(s)
	})
}
