package requirements_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/requirements"
)

// altShape is the payload that made the read methods grow with the
// square of the input: m alternatives items, each naming all n fields as
// originals and n fields as alternatives, so that every one of the n
// entries has m alternatives of n fields.
func altShape(n, m int) []byte {
	fs := make([]string, n)
	alt := make([]string, n)
	for i := range fs {
		fs[i] = fmt.Sprintf("f%d", i)
		alt[i] = fmt.Sprintf("g%d", i)
	}
	alts := make([]any, m)
	for k := range alts {
		alts[k] = map[string]any{"original_fields_due": fs, "alternative_fields_due": alt}
	}
	b, _ := json.Marshal(map[string]any{"object": "account", "id": "acct_1", "requirements": map[string]any{
		"currently_due": fs, "eventually_due": fs, "alternatives": alts}})
	return b
}

// checkReadsBounded is the fuzzers' resource property for the read
// methods: Entries, ActionsRequired and Lookup allocate in proportion to
// the input the set was decoded from.
func checkReadsBounded(t *testing.T, in []byte, s requirements.Set) {
	t.Helper()
	var field string
	if es := s.Entries(); len(es) > 0 {
		field = es[len(es)-1].Field
	}
	decodeBudget.Check(t, "Entries", len(in), func() { _ = s.Entries() })
	decodeBudget.Check(t, "ActionsRequired", len(in), func() { _ = s.ActionsRequired(time.Unix(1, 0)) })
	decodeBudget.Check(t, "Lookup", len(in), func() { _, _ = s.Lookup(field); _, _ = s.LookupFuture(field) })
}

// Q1: an entry's alternatives are read without copying each alternative
// once per field that lists it (a 3.5 MB payload allocated 248 MB per
// Entries call).
func TestEntries_Q1_LinearInAlternatives(t *testing.T) {
	in := altShape(500, 4)
	s, err := requirements.DecodeV1(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	es := s.Entries()
	if len(es) != 500 || len(es[0].Alternatives) != 4 || len(es[0].Alternatives[0]) != 500 || es[7].Alternatives[3][499] != "g499" {
		t.Fatalf("entries %d, alternatives of the first %d", len(es), len(es[0].Alternatives))
	}
	checkReadsBounded(t, in, s)
	// What is shared is read-only to the caller's harm only: the set
	// keeps its own copy.
	es[0].Alternatives[0][0] = "changed"
	if again := s.Entries(); again[0].Alternatives[0][0] != "g0" {
		t.Fatal("Entries exposed the set's memory")
	}
	e, _ := s.Lookup("f1")
	e.Alternatives[0][0] = "changed"
	if again, _ := s.Lookup("f1"); again.Alternatives[0][0] != "g0" {
		t.Fatal("Lookup exposed the set's memory")
	}
}

// Q4: merging is for the hashes of one account. A set of another account
// (its id, or the `account` member of a capability object, as an ID or
// expanded) is refused with the invalid-input error, the set unchanged.
func TestMerge_Q4_RefusesAnotherAccount(t *testing.T) {
	acct := func(id string) string {
		return `{"object":"account","id":"` + id + `","requirements":{"currently_due":["a"],"eventually_due":["a"]}}`
	}
	capOf := func(account string) string {
		return `{"object":"capability","id":"card_payments","account":` + account + `,"status":"active","requirements":{"currently_due":["b"]}}`
	}
	tests := []struct {
		name, into, from string
		refused          bool
	}{
		{"another account", acct("acct_1"), acct("acct_2"), true},
		{"the same account", acct("acct_1"), acct("acct_1"), false},
		{"another account's capability", acct("acct_1"), capOf(`"acct_2"`), true},
		{"another account's capability, expanded", acct("acct_1"), capOf(`{"id":"acct_2","object":"account"}`), true},
		{"its own capability", acct("acct_1"), capOf(`"acct_1"`), false},
		{"its own capability, expanded", acct("acct_1"), capOf(`{"id":"acct_1","object":"account"}`), false},
		{"a capability into another account", capOf(`"acct_2"`), acct("acct_1"), true},
		{"a list with another account's capability", acct("acct_1"), `{"object":"list","data":[` + capOf(`"acct_2"`) + `]}`, true},
		{"a v2 account of another id", acct("acct_1"), `{"object":"v2.core.account","id":"acct_2","requirements":{"entries":[]}}`, true},
		{"bare hashes (no id) into an account", acct("acct_1"), `{"requirements":{"currently_due":["c"]}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decodeAny(t, tt.into)
			o := decodeAny(t, tt.from)
			before := s.Clone()
			err := s.Merge(o)
			if !tt.refused {
				if err != nil {
					t.Fatalf("Merge: %v", err)
				}
				return
			}
			if !errors.Is(err, requirements.ErrInvalid) || errkind.Of(err) != errkind.InvalidInput {
				t.Fatalf("Merge = %v, want the invalid-input error", err)
			}
			if !s.Equal(before) || s.ID() != before.ID() {
				t.Fatal("a refused Merge changed the set")
			}
		})
	}
}

func decodeAny(t *testing.T, payload string) requirements.Set {
	t.Helper()
	if strings.Contains(payload, `"v2.core.account"`) {
		s, err := requirements.DecodeV2([]byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return decodeV1(t, payload)
}

// Q1: what Stripe sent is read exactly. A member sent twice (the last
// would silently win), an escaped lone surrogate (read as U+FFFD, so two
// names would collide) and a member name spelled in another case are
// refused like NUL: ErrMalformed and ErrInvalid, by every decoder.
func TestDecode_Q1_AmbiguousTextRefused(t *testing.T) {
	v1 := func(p string) error { _, err := requirements.DecodeV1([]byte(p), nil); return err }
	v2 := func(p string) error { _, err := requirements.DecodeV2([]byte(p)); return err }
	set := func(p string) error { var s requirements.Set; return s.UnmarshalJSON([]byte(p)) }
	v2acct := func(entry string) string {
		return `{"object":"v2.core.account","requirements":{"entries":[{"awaiting_action_from":"user","description":"a","errors":[],"impact":{},"minimum_deadline":{"status":"currently_due"},"requested_reasons":[]` + entry + `}]}}`
	}
	tests := []struct {
		name    string
		decode  func(string) error
		payload string
		invalid bool // also ErrInvalid (a wrong-case name is an unknown field of the set encoding)
	}{
		{"v1: object twice", v1, `{"object":"account","object":"customer","requirements":{}}`, true},
		{"v1: list twice in a hash", v1, `{"requirements":{"currently_due":["a"],"currently_due":[]}}`, true},
		{"v1: member twice in an errors item", v1, `{"requirements":{"errors":[{"code":"x","reason":"r","requirement":"a","requirement":"b"}]}}`, true},
		{"v1: same name escaped", v1, `{"requirements":{"past_due":[],"past_du\u0065":["a"]}}`, true},
		{"v1: lone surrogate in a field", v1, `{"requirements":{"currently_due":["a\ud800"]}}`, true},
		{"v1: lone surrogate in an unknown member", v1, `{"requirements":{"x":"\udc00"}}`, true},
		{"v2: member twice in an entry", v2, v2acct(`,"description":"b"`), true},
		{"v2: lone surrogate in a description", v2, `{"object":"v2.core.account","requirements":{"entries":[{"description":"\ud800"}]}}`, true},
		{"set: member twice", set, `{"version":2,"hashes":[],"hashes":[]}`, true},
		{"set: lone surrogate", set, `{"version":2,"id":"\ud800","hashes":[]}`, true},
		{"set: name in another case", set, `{"Version":2,"hashes":[]}`, false},
		{"set: nested name in another case", set, `{"version":2,"hashes":[{"Entries":[]}]}`, false},
		{"set: name with a folding letter", set, `{"version":2,"hashes":[{"entries":[{"field":"a","kind":"requirement","li\u017fts":["currently_due"]}]}]}`, false},
		{"legacy set: name in another case", set, `{"ENTRIES":[]}`, false},
		{"legacy set: nested name in another case", set, `{"entries":[{"Field":"a","status":"currently_due","kind":"requirement"}]}`, false},
		{"legacy set: member twice", set, `{"entries":[],"entries":[]}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decode(tt.payload)
			if !errors.Is(err, requirements.ErrMalformed) || (tt.invalid && !errors.Is(err, requirements.ErrInvalid)) {
				t.Fatalf("err = %v, want ErrMalformed (and ErrInvalid: %v)", err, tt.invalid)
			}
		})
	}
	// The exact spellings decode.
	for _, p := range []string{`{"version":2,"hashes":[]}`, `{"entries":[{"field":"a","status":"currently_due","kind":"requirement"}]}`} {
		if err := set(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
