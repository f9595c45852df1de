package requirements_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
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
		// Unknown members, kept verbatim.
		`{"requirements":{"currently_due":["a"],"minimum_deadline":{"at":1735776000,"fields":["a"]}},"future_requirements":{"x":[1,"<&>",null]}}`,
		`{"requirements":{"Currently_Due":["a"],"currentlydue":["b"],"x":1,"x":"\u00e9"}}`,
		`{"requirements":{"errors":[{"code":"c","reason":"r","requirement":"a","new":1}],"currently_due":["a"],"":{}}}`,
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
		checkUnknownMembersKept(t, data, out1)
	})
}

// knownHashMembers are the members of a v1 hash, written from Stripe's
// documentation.
var knownHashMembers = []string{"alternatives", "current_deadline", "currently_due", "disabled_reason", "errors", "eventually_due", "past_due", "pending_verification"}

// checkUnknownMembersKept fails t unless out (EncodeV1 of what DecodeV1
// made of in) holds every unknown member of in's two hashes with the same
// value, compacted as json.Marshal writes a json.RawMessage.
func checkUnknownMembersKept(t *testing.T, in, out []byte) {
	t.Helper()
	// Which hash encoding/json picks, and which member of it wins, is
	// encoding/json's business: let it decide, as DecodeV1 does.
	var top struct {
		Requirements       json.RawMessage `json:"requirements"`
		FutureRequirements json.RawMessage `json:"future_requirements"`
	}
	if err := json.Unmarshal(in, &top); err != nil {
		t.Fatalf("DecodeV1 accepted what encoding/json refuses: %v", err)
	}
	var got map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for name, raw := range map[string]json.RawMessage{"requirements": top.Requirements, "future_requirements": top.FutureRequirements} {
		var members map[string]json.RawMessage
		if err := json.Unmarshal(raw, &members); raw != nil && err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k, v := range members {
			if slices.ContainsFunc(knownHashMembers, func(m string) bool { return strings.EqualFold(m, k) }) {
				continue
			}
			var c, want bytes.Buffer
			if err := json.Compact(&c, v); err != nil {
				t.Fatal(err)
			}
			json.HTMLEscape(&want, c.Bytes())
			if g, ok := got[name][k]; !ok || !bytes.Equal(g, bytes.ToValidUTF8(want.Bytes(), []byte("\uFFFD"))) {
				t.Fatalf("unknown member %s.%q = %s, want %s\nin:  %s\nout: %s", name, k, g, want.Bytes(), in, out)
			}
		}
	}
}

func TestDecodeV1_Q1_UnknownMembersKept(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		main, future map[string]string // want Set.V1Extra, values compacted
	}{
		{"none", `{"requirements":{"currently_due":["a"]},"future_requirements":{}}`, nil, nil},
		{"object member of the current hash",
			`{"requirements":{"currently_due":["a"],"minimum_deadline":{ "at": 1735776000, "fields": ["a"] }}}`,
			map[string]string{"minimum_deadline": `{"at":1735776000,"fields":["a"]}`}, nil},
		{"members of both hashes, kept apart",
			`{"requirements":{"zeta":1,"alpha":"x"},"future_requirements":{"alpha":[true,null,1.50e3]}}`,
			map[string]string{"alpha": `"x"`, "zeta": `1`}, map[string]string{"alpha": `[true,null,1.50e3]`}},
		{"null and strings kept as written",
			`{"requirements":{"n":null,"s":"\u00e9 <&> é"}}`,
			map[string]string{"n": `null`, "s": `"\u00e9 \u003c\u0026\u003e é"`}, nil},
		{"known members matched case-insensitively, as encoding/json does",
			`{"requirements":{"Currently_Due":["a"],"PAST_DUE":["a"],"pastdue":["b"]}}`,
			map[string]string{"pastdue": `["b"]`}, nil},
		{"invalid UTF-8 read as U+FFFD, escapes kept", "{\"requirements\":{\"x\":\"a\xffb\\u0000\"}}",
			map[string]string{"x": "\"a\uFFFDb\\u0000\""}, nil},
		{"last duplicate wins", `{"requirements":{"x":1,"x":2}}`, map[string]string{"x": `2`}, nil},
		{"name with escapes and spaces", `{"requirements":{"new \"member\"":{},"":0}}`,
			map[string]string{`new "member"`: `{}`, "": `0`}, nil},
		{"null hash keeps nothing", `{"requirements":null,"future_requirements":{"x":[]}}`, nil, map[string]string{"x": `[]`}},
	}
	toMap := func(m map[string]string) map[string]json.RawMessage {
		if m == nil {
			return nil
		}
		out := map[string]json.RawMessage{}
		for k, v := range m {
			out[k] = json.RawMessage(v)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := requirements.DecodeV1([]byte(tt.in), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range []struct {
				future bool
				member string
				want   map[string]string
			}{{false, "requirements", tt.main}, {true, "future_requirements", tt.future}} {
				if diff := cmp.Diff(toMap(h.want), s.V1Extra(h.future)); diff != "" {
					t.Fatalf("V1Extra(%v) (-want +got):\n%s", h.future, diff)
				}
				// EncodeV1 writes them back, after the known members.
				out, err := requirements.EncodeV1(s)
				if err != nil {
					t.Fatal(err)
				}
				var doc map[string]map[string]json.RawMessage
				if err := json.Unmarshal(out, &doc); err != nil {
					t.Fatal(err)
				}
				for k, v := range h.want {
					if got := string(doc[h.member][k]); got != v {
						t.Fatalf("EncodeV1 %s.%s = %s, want %s\n%s", h.member, k, got, v, out)
					}
				}
				if got, want := len(doc[h.member]), 8+len(h.want); got != want {
					t.Fatalf("EncodeV1 %s has %d members, want %d:\n%s", h.member, got, want, out)
				}
				back, err := requirements.DecodeV1(out, nil)
				if err != nil || !back.Equal(s) {
					t.Fatalf("decode of own encoding: %v\n%s", err, out)
				}
			}
		})
	}
}

func TestDecodeV1_Q1_UnknownMembersDoNotLoosenKnownOnes(t *testing.T) {
	for _, in := range []string{
		`{"requirements":{"new_member":{},"currently_due":"a"}}`,
		`{"requirements":{"Past_Due":[1],"new_member":1}}`,
		`{"future_requirements":{"new_member":1,"current_deadline":"soon"}}`,
	} {
		if _, err := requirements.DecodeV1([]byte(in), nil); !errors.Is(err, requirements.ErrMalformed) {
			t.Errorf("DecodeV1(%s): err = %v, want ErrMalformed", in, err)
		}
	}
	// A V1 built by hand cannot smuggle a known member, or invalid JSON, in
	// through Extra.
	for _, x := range []map[string]json.RawMessage{
		{"currently_due": json.RawMessage(`["a"]`)},
		{"Errors": json.RawMessage(`[]`)},
		{"x": json.RawMessage(`{`)},
		{"x": json.RawMessage{}},
	} {
		v := requirements.V1{Requirements: &requirements.V1Hash{Extra: x}}
		if _, err := v.Set(nil); !errors.Is(err, requirements.ErrMalformed) {
			t.Errorf("V1.Set with Extra %v: err = %v, want ErrMalformed", x, err)
		}
		if _, err := json.Marshal(v); err == nil {
			t.Errorf("json.Marshal with Extra %v: no error", x)
		}
	}
}

func TestSet_Q1_UnknownMembersClonedAndCompared(t *testing.T) {
	decode := func(in string) requirements.Set {
		t.Helper()
		s, err := requirements.DecodeV1([]byte(in), nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := decode(`{"requirements":{"x":{"k": [1, 2]}}}`)
	if !a.Equal(decode(`{"requirements":{"x":{"k":[1,2]}}}`)) {
		t.Fatal("values equal after compaction are not Equal")
	}
	for _, other := range []string{
		`{"requirements":{}}`,
		`{"requirements":{"x":{"k":[2,1]}}}`,
		`{"requirements":{"y":{"k":[1,2]}}}`,
		`{"future_requirements":{"x":{"k":[1,2]}}}`,
	} {
		if a.Equal(decode(other)) {
			t.Errorf("%s is Equal to the set with x in requirements", other)
		}
	}
	c := a.Clone()
	c.V1Extra(false)["x"][0] = '!'
	v := c.V1()
	v.Requirements.Extra["x"][1] = '!'
	if !c.Equal(a) || string(a.V1Extra(false)["x"]) != `{"k":[1,2]}` {
		t.Fatal("the maps handed out share memory with the set")
	}
	// No transition changes them, even when the future entries move.
	s := decode(`{"requirements":{"m":1},"future_requirements":{"current_deadline":1735776000,"currently_due":["a"],"f":2}}`)
	s.Advance(time.Unix(1735776000, 0))
	if s.Len() != 1 || string(s.V1Extra(false)["m"]) != `1` || string(s.V1Extra(true)["f"]) != `2` {
		t.Fatalf("after Advance: %v %v %v", s.Entries(), s.V1Extra(false), s.V1Extra(true))
	}
}
