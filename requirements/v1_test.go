package requirements_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/internal/fuzzbudget"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/requirements/requirementstest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// fixture reads testdata/name's "fixture" member (see testdata/README.md).
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Fixture json.RawMessage }
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Fixture
}

func decodeV1(t testing.TB, payload string) requirements.Set {
	t.Helper()
	s, err := requirements.DecodeV1([]byte(payload), nil)
	if err != nil {
		t.Fatalf("DecodeV1: %v", err)
	}
	return s
}

// sameJSON fails t unless a and b are equal up to what the encoders
// normalise (requirementstest.NormalizeJSON).
func sameJSON(t testing.TB, want, got []byte) {
	t.Helper()
	w, err := requirementstest.NormalizeJSON(want)
	if err != nil {
		t.Fatal(err)
	}
	g, err := requirementstest.NormalizeJSON(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(w) != string(g) {
		t.Fatalf("re-encoding differs (-want +got):\n%s", cmp.Diff(string(w), string(g)))
	}
}

// requirementsOnly keeps the members of a v1 account object that EncodeV1
// writes back (the rest belongs to package account).
func requirementsOnly(t interface{ Fatalf(string, ...any) }, account []byte) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(account, &m); err != nil {
		t.Fatalf("%v", err)
	}
	if string(m["object"]) != `"account"` {
		return account
	}
	return keepMembers(t, account, "object", "id", "capabilities", "requirements", "future_requirements")
}

// keepMembers returns the JSON object data with only the members named.
func keepMembers(t interface{ Fatalf(string, ...any) }, data []byte, names ...string) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%v", err)
	}
	for k := range m {
		if !slices.Contains(names, k) {
			delete(m, k)
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// Stripe's own account fixture says the account is disabled for
// requirements.past_due with past_due empty: the set says so too, and
// writes it back (Q1, principle 8).
func TestDecodeV1_Q1_AccountFixtureDisabledAsStripeSays(t *testing.T) {
	in := fixture(t, "v1_account_fixture.json")
	s, err := requirements.DecodeV1(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.DisabledReason() != requirements.ReasonRequirementsPastDue {
		t.Fatalf("DisabledReason = %q", s.DisabledReason())
	}
	st := s.DisabledAt(time.Unix(1234567890, 0))
	if !st.Disabled() || !st.StripeSays() || st.Predicted() || st.Reason() != requirements.ReasonRequirementsPastDue {
		t.Fatalf("DisabledAt = %+v", st)
	}
	if s.Complete() || len(s.FieldsToCollect(requirements.Collection{})) != 6 || s.ID() != "acct_1PgafTB7WZ01zgkW" {
		t.Fatalf("complete %v, to collect %v", s.Complete(), s.FieldsToCollect(requirements.Collection{}))
	}
	caps := s.CapabilitiesAt(time.Unix(1234567890, 0))
	if len(caps) != 2 || caps[0].Status != requirements.CapabilityActive {
		t.Fatalf("capabilities %+v", caps)
	}
	out, err := requirements.EncodeV1(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"disabled_reason":"requirements.past_due"`) {
		t.Fatalf("re-encoding lost Stripe's reason: %s", out)
	}
	sameJSON(t, requirementsOnly(t, in), out)
}

func TestDecodeV1_Q1_CapabilityFixture(t *testing.T) {
	in := fixture(t, "v1_capability_fixture.json")
	s, err := requirements.DecodeV1(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, ok := s.Hash(requirements.Source{Capability: requirements.CardPayments})
	if !ok || h.Status != requirements.CapabilityInactive {
		t.Fatalf("hash %+v %v", h, ok)
	}
	st := s.CapabilitiesAt(time.Unix(1234567890, 0))
	if len(st) != 1 || !st[0].Disabled() || st[0].Predicted() {
		t.Fatalf("standing %+v", st)
	}
	out, err := requirements.EncodeV1(s)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, in, out) // account, requested, requested_at kept verbatim
}

// Each case is a payload Stripe may send; each proves one thing the old
// model lost or refused.
func TestDecodeV1_Q1_Lossless(t *testing.T) {
	lists := func(s requirements.Set, src requirements.Source, field string) requirements.Lists {
		e, _ := s.LookupIn(src, field)
		return e.Lists
	}
	acct := requirements.Source{}
	tests := []struct {
		name    string
		payload string
		check   func(t *testing.T, s requirements.Set)
	}{
		{"due and pending at once keeps both memberships",
			`{"requirements":{"currently_due":["doc"],"eventually_due":["doc"],"pending_verification":["doc"]}}`,
			func(t *testing.T, s requirements.Set) {
				if got := lists(s, acct, "doc"); got != requirements.ListsOf(requirements.CurrentlyDue, requirements.EventuallyDue, requirements.PendingVerification) {
					t.Fatalf("lists %v", got)
				}
			}},
		{"pending_verification reason not rewritten by a past due field",
			`{"requirements":{"past_due":["a"],"currently_due":["a"],"pending_verification":["b"],"disabled_reason":"requirements.pending_verification"}}`,
			func(t *testing.T, s requirements.Set) {
				if s.DisabledReason() != requirements.ReasonRequirementsPendingVerification {
					t.Fatalf("reason %q", s.DisabledReason())
				}
			}},
		{"past due without its twins gains none",
			`{"requirements":{"past_due":["a"]}}`,
			func(t *testing.T, s requirements.Set) {
				if got := lists(s, acct, "a"); got != requirements.ListsOf(requirements.PastDue) {
					t.Fatalf("lists %v", got)
				}
			}},
		{"a field only in alternatives is accepted and kept",
			`{"requirements":{"alternatives":[{"alternative_fields_due":["company.verification.document"],"original_fields_due":["company.tax_id"],"hint":"x"}]}}`,
			func(t *testing.T, s requirements.Set) {
				if s.Len() != 0 || !s.Complete() {
					t.Fatalf("an alternatives-only field is no list membership: %v", s.Entries())
				}
			}},
		{"a field only in errors is accepted and kept",
			`{"requirements":{"errors":[{"code":"invalid_tax_id","reason":"r","requirement":"company.tax_id","details":{"k":1}}]}}`,
			func(t *testing.T, s requirements.Set) {
				if s.Len() != 0 {
					t.Fatalf("entries %v", s.Entries())
				}
			}},
		{"errors attach to their field with unknown codes kept",
			`{"requirements":{"currently_due":["a"],"errors":[{"code":"a_code_stripe_adds_later","reason":"r","requirement":"a"}]}}`,
			func(t *testing.T, s requirements.Set) {
				e, _ := s.Lookup("a")
				if len(e.Errors) != 1 || e.Errors[0].Code.Known() || e.Errors[0].Code.Remedy() != requirements.RemedyContactSupport {
					t.Fatalf("errors %v", e.Errors)
				}
			}},
		{"unknown hash member kept",
			`{"requirements":{"minimum_deadline":{"at":5},"Currently_Due":["x"]}}`,
			func(t *testing.T, s requirements.Set) {
				if x := s.V1Extra(false); len(x) != 2 || string(x["minimum_deadline"]) != `{"at":5}` {
					t.Fatalf("extra %s", x)
				}
			}},
		{"capabilities with different deadlines merge, each requirement its own due date",
			`{"object":"list","data":[
			 {"object":"capability","id":"card_payments","status":"pending","requirements":{"current_deadline":200,"currently_due":["a"],"eventually_due":["a"],"past_due":[],"pending_verification":[],"errors":[]}},
			 {"object":"capability","id":"transfers","status":"active","requirements":{"current_deadline":100,"currently_due":["b"],"eventually_due":["b"],"past_due":[],"pending_verification":[],"errors":[]}}]}`,
			func(t *testing.T, s requirements.Set) {
				acts := s.ActionsRequired(time.Unix(50, 0))
				if len(acts) != 2 || acts[0].Field != "b" || acts[0].DueDate.Unix() != 100 || acts[1].DueDate.Unix() != 200 {
					t.Fatalf("actions %+v", acts)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decodeV1(t, tt.payload)
			tt.check(t, s)
			out, err := requirements.EncodeV1(s)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, []byte(tt.payload), out)
			back, err := requirements.DecodeV1(out, nil)
			if err != nil || !back.Equal(s) {
				t.Fatalf("decode(encode(s)) != s: %v", err)
			}
		})
	}
}

// An account merged with its capabilities: the field's due date is the
// earliest of the hashes listing it (Q4), capabilities united.
func TestMerge_Q4_AccountAndCapabilitiesNeverConflict(t *testing.T) {
	s := decodeV1(t, `{"object":"account","requirements":{"current_deadline":300,"currently_due":["a"],"eventually_due":["a"]}}`)
	c := decodeV1(t, `{"object":"capability","id":"card_payments","requirements":{"current_deadline":100,"currently_due":["a"],"eventually_due":["a"],"past_due":[],"pending_verification":[],"errors":[]}}`)
	if err := s.Merge(c); err != nil {
		t.Fatal(err)
	}
	acts := s.ActionsRequired(time.Unix(50, 0))
	if len(acts) != 1 || acts[0].DueDate.Unix() != 100 || !cmp.Equal(acts[0].Capabilities, []requirements.Capability{requirements.CardPayments}) {
		t.Fatalf("actions %+v", acts)
	}
	if got := s.ActionsRequired(time.Unix(100, 0))[0].Priority; got != requirements.PriorityPastDue {
		t.Fatalf("at the capability's deadline: %v", got)
	}
	if st := s.DisabledAt(time.Unix(100, 0)); st.Disabled() {
		t.Fatalf("the account's own deadline has not arrived: %+v", st)
	}
}

// Anything that is not an account, capability or list is an error that
// says what was seen, never an empty complete set.
func TestDecodeV1_Q1_WrongObjectsRefused(t *testing.T) {
	tests := []struct{ name, payload, seen string }{
		{"event envelope", `{"object":"event","type":"account.updated","data":{"object":{"object":"account"}}}`, `object "event"`},
		{"customer", `{"object":"customer","id":"cus_1"}`, `object "customer"`},
		{"empty object", `{}`, "an empty object"},
		{"no object, no hashes", `{"id":"acct_1","email":"x"}`, `members "email", "id"`},
		{"v2 account", `{"object":"v2.core.account","requirements":{}}`, `object "v2.core.account"`},
		{"account without hashes", `{"object":"account","id":"acct_1"}`, "an account without requirements"},
		{"list of customers", `{"object":"list","data":[{"object":"customer"}]}`, `object "customer"`},
		{"null", `null`, "null"},
		// Stripe never sends a null hash: null is absent, not an empty
		// complete hash.
		{"account with null requirements", `{"object":"account","id":"acct_1","requirements":null}`, "an account without requirements"},
		{"account with both hashes null", `{"object":"account","requirements":null,"future_requirements":null}`, "an account without requirements"},
		{"bare null requirements", `{"requirements":null}`, `members "requirements"`},
		{"bare null future_requirements", `{"future_requirements":null}`, `members "future_requirements"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := requirements.DecodeV1([]byte(tt.payload), nil)
			var we *requirements.WrongObjectError
			if !errors.Is(err, requirements.ErrWrongObject) || !errors.Is(err, requirements.ErrMalformed) || !errors.As(err, &we) || !strings.Contains(we.Seen, tt.seen) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// Issue 18 item 7: what PostgreSQL cannot store (NUL, invalid UTF-8) and
// absurd lengths are refused at the boundary with the invalid-input error.
func TestDecodeV1_Q1_UnstorableInputRefused(t *testing.T) {
	long := strings.Repeat("a", requirements.MaxNameLen+1)
	tests := []struct{ name, payload string }{
		{"NUL in a field name", `{"requirements":{"currently_due":["a\u0000b"]}}`},
		{"invalid UTF-8 in a field name", "{\"requirements\":{\"currently_due\":[\"a\xffb\"]}}"},
		{"absurd field name", `{"requirements":{"currently_due":["` + long + `"]}}`},
		{"NUL in an error reason", `{"requirements":{"errors":[{"code":"x","reason":"a\u0000","requirement":"a"}]}}`},
		{"invalid UTF-8 in an error reason", "{\"requirements\":{\"errors\":[{\"code\":\"x\",\"reason\":\"\xff\",\"requirement\":\"a\"}]}}"},
		{"absurd error reason", `{"requirements":{"errors":[{"code":"x","reason":"` + strings.Repeat("r", requirements.MaxTextLen+1) + `","requirement":"a"}]}}`},
		{"NUL in an unknown member name", `{"requirements":{"x\u0000":1}}`},
		{"invalid UTF-8 in an unknown member name", "{\"requirements\":{\"x\xff\":1}}"},
		{"absurd unknown member name", `{"requirements":{"` + long + `":1}}`},
		{"NUL in an unknown member value", `{"requirements":{"x":"a\u0000"}}`},
		{"invalid UTF-8 in an unknown member value", "{\"requirements\":{\"x\":\"\xff\"}}"},
		{"NUL in an error item's unknown member", `{"requirements":{"errors":[{"code":"x","reason":"r","requirement":"a","d\u0000":1}]}}`},
		{"NUL in a disabled reason", `{"requirements":{"disabled_reason":"a\u0000"}}`},
		{"deadline before 1970", `{"requirements":{"current_deadline":-1}}`},
		{"deadline after 9999", `{"requirements":{"current_deadline":253402300800}}`},
		{"wrong type", `{"requirements":{"currently_due":"a"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := requirements.DecodeV1([]byte(tt.payload), nil)
			if !errors.Is(err, requirements.ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			var de *requirements.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %T", err)
			}
			if tt.name != "wrong type" && !errors.Is(err, requirements.ErrInvalid) {
				t.Fatalf("err = %v, want also ErrInvalid", err)
			}
		})
	}
}

// Round trips both ways on Stripe-shaped payloads: encode(decode(p)) ≅ p,
// decode(encode(s)) == s, and the lossless set encoding reads back Equal.
func TestV1_Q1_RoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := requirementstest.V1Payload().Draw(t, "payload")
		s, err := requirements.DecodeV1(p, nil)
		if err != nil {
			t.Fatalf("DecodeV1: %v", err)
		}
		out, err := requirements.EncodeV1(s)
		if err != nil {
			t.Fatalf("EncodeV1: %v", err)
		}
		want, _ := requirementstest.NormalizeJSON(requirementsOnly(t, p))
		got, _ := requirementstest.NormalizeJSON(out)
		if string(want) != string(got) {
			t.Fatalf("encode(decode(p)) differs:\n%s", cmp.Diff(string(want), string(got)))
		}
		back, err := requirements.DecodeV1(out, nil)
		if err != nil || !back.Equal(s) {
			t.Fatalf("decode(encode(s)) != s: %v", err)
		}
		checkSetJSON(t, s)
	})
}

// checkSetJSON checks the lossless set encoding reads back Equal.
func checkSetJSON(t interface{ Fatalf(string, ...any) }, s requirements.Set) {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	var back requirements.Set
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(s) {
		t.Fatalf("set JSON does not read back Equal: %v\n%s", err, b)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(b) {
		t.Fatalf("set JSON not deterministic:\n%s\n%s", b, again)
	}
}

// decodeBudget is the fuzzers' resource property: decoding (and reading
// what was decoded) allocates in proportion to the input, so the fuzzer
// finds amplification, not only panics. Time is not measured (no timed
// tests); allocation counts and bytes are deterministic proxies for work.
var decodeBudget = fuzzbudget.Budget{Allocs: 1024, AllocsPerByte: 4, Bytes: 256 << 10, BytesPerByte: 64}

func FuzzDecodeV1(f *testing.F) {
	f.Add(fixture(f, "v1_account_fixture.json"))
	f.Add(fixture(f, "v1_capability_fixture.json"))
	for i := range 8 {
		f.Add(requirementstest.V1Payload().Example(i))
	}
	f.Add([]byte(`{"requirements":{"alternatives":[{"alternative_fields_due":["a","b"],"original_fields_due":["c","d"]}]}}`))
	f.Add([]byte(`{"object":"event"}`))
	f.Add(altShape(60, 3)) // every entry shares alternatives with every other
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := requirements.DecodeV1(in, nil)
		decodeBudget.Check(t, "DecodeV1", len(in), func() { _, _ = requirements.DecodeV1(in, nil) })
		if err != nil {
			if !errors.Is(err, requirements.ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			return
		}
		out, err := requirements.EncodeV1(s)
		if err != nil {
			t.Fatalf("EncodeV1 of a decoded set: %v", err)
		}
		back, err := requirements.DecodeV1(out, nil)
		if err != nil || !back.Equal(s) {
			t.Fatalf("decode(encode(s)) != s: %v\n%s", err, out)
		}
		checkSetJSON(t, s)
		checkReadsBounded(t, in, s)
	})
}

// TestDecodeV1_Q1_ListsReadAsSent: a field listed in several lists of a
// hash is one entry in all of them, whether its name is sent plainly or
// with escapes (read in place or through encoding/json), and whatever
// the lists' order; an invalid name in any list is refused.
func TestDecodeV1_Q1_ListsReadAsSent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		names := []string{"a.b", "person_1.dob.day", "x<y>", "é.field", "tos_acceptance.date"}
		lists := map[string][]string{}
		want := map[string]requirements.Lists{}
		for _, st := range []requirements.Status{requirements.CurrentlyDue, requirements.EventuallyDue, requirements.PastDue, requirements.PendingVerification} {
			for _, f := range rapid.SliceOfNDistinct(rapid.SampledFrom(names), 0, len(names), rapid.ID[string]).Draw(t, string(st)) {
				lists[string(st)] = append(lists[string(st)], f)
				want[f] = want[f].With(st)
			}
		}
		escape := rapid.Bool().Draw(t, "escape_html") // "<" as \u003c: not a plain string
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(escape)
		if err := enc.Encode(map[string]any{"object": "account", "id": "acct_1", "requirements": lists}); err != nil {
			t.Fatal(err)
		}
		s, err := requirements.DecodeV1(buf.Bytes(), nil)
		if err != nil {
			t.Fatalf("DecodeV1(%s): %v", buf.Bytes(), err)
		}
		got := map[string]requirements.Lists{}
		for _, e := range s.Entries() {
			got[e.Field] = e.Lists
		}
		if !cmp.Equal(got, want, cmpopts.EquateEmpty()) {
			t.Fatalf("DecodeV1(%s): lists %v, want %v", buf.Bytes(), got, want)
		}
		st := rapid.SampledFrom([]string{"currently_due", "eventually_due", "past_due", "pending_verification"}).Draw(t, "bad_list")
		lists[st] = append(lists[st], "bad field")
		bad, _ := json.Marshal(map[string]any{"object": "account", "id": "acct_1", "requirements": lists})
		if _, err := requirements.DecodeV1(bad, nil); !errors.Is(err, requirements.ErrMalformed) {
			t.Fatalf("DecodeV1(%s) = %v, want the field refused", bad, err)
		}
	})
}
