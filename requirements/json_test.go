package requirements_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// tb is what both *testing.T and *rapid.T offer.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// roundTrip marshals s, unmarshals the bytes into a fresh Set and fails t
// unless the result is Equal to s and re-encodes to the same bytes.
func roundTrip(t tb, s requirements.Set) []byte {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var back requirements.Set
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("unmarshal of own encoding: %v\n%s", err, data)
	}
	if !back.Equal(s) {
		t.Fatalf("round trip changed the set:\n%s\n%s", data, cmp.Diff(s.Entries(), back.Entries()))
	}
	again, err := json.Marshal(back)
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("encoding not stable: %v\n%s\n%s", err, data, again)
	}
	return data
}

// withReasons returns a set whose hashes carry disabled reasons Stripe
// gave; DecodeV1 is the only way to reach them.
func withReasons(t tb, main, future string) requirements.Set {
	t.Helper()
	s, err := requirements.DecodeV1([]byte(`{"requirements":{"disabled_reason":`+main+`},"future_requirements":{"disabled_reason":`+future+`}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withExtra returns a set whose hashes carry the unknown members of the
// JSON objects main and future; DecodeV1 is the only way to reach them.
func withExtra(t tb, main, future string) requirements.Set {
	t.Helper()
	s, err := requirements.DecodeV1([]byte(`{"requirements":`+main+`,"future_requirements":`+future+`}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSetJSON_Q1_LosslessRoundTrip(t *testing.T) {
	rich := withReasons(t, `"under_review"`, `"a_reason_stripe_adds_later"`)
	for _, e := range []requirements.Entry{
		{Field: "external_account", Status: requirements.PastDue, Capabilities: []requirements.Capability{requirements.Transfers, requirements.CardPayments}},
		{Field: "individual.dob.day", Status: requirements.CurrentlyDue, Errors: []requirements.Error{
			{Code: requirements.CodeInvalidDOBAgeUnder18, Reason: "The person must be at least 18 <&>."},
			{Code: "a_code_stripe_added_next_year"},
		}},
		{Field: "individual.id_number", Status: requirements.CurrentlyDue, Alternatives: [][]string{{"individual.verification.document"}, {"b", "a"}}},
		{Field: "risk_review_1", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue, RequestedReasons: []requirements.RequestedReason{requirements.ReasonRoutineOnboarding, "a_reason_added_later"}},
		{Field: "company.tax_id", Status: requirements.EventuallyDue, Future: true, Capabilities: []requirements.Capability{"capability_added_later"}},
		{Field: "external_account", Status: requirements.PendingVerification, RequestedReasons: []requirements.RequestedReason{requirements.ReasonFutureRequirements}},
	} {
		if err := rich.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := rich.SetDeadline(false, t1); err != nil {
		t.Fatal(err)
	}
	if err := rich.SetDeadline(true, t3()); err != nil {
		t.Fatal(err)
	}
	pending := withReasons(t, `"requirements.pending_verification"`, `null`)
	if err := pending.Add(requirements.Entry{Field: "p", Status: requirements.PendingVerification}); err != nil {
		t.Fatal(err)
	}
	futureDeadlineOnly := requirements.Set{}
	if err := futureDeadlineOnly.SetDeadline(true, t2); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		set  requirements.Set
		want string // the exact encoding, when given
	}{
		{"zero", requirements.Set{}, `{"entries":[]}`},
		{"one entry", mustSet(t, requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Deadline: t1}),
			`{"current_deadline":1735776000,"entries":[{"field":"a","kind":"requirement","status":"currently_due"}]}`},
		{"future entry", mustSet(t, requirements.Entry{Field: "a", Status: requirements.EventuallyDue, Future: true}),
			`{"entries":[{"field":"a","kind":"requirement","status":"eventually_due","future":true,"requested_reasons":[{"code":"future_requirements"}]}]}`},
		{"information request", mustSet(t, requirements.Entry{Field: "rr", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue}),
			`{"entries":[{"field":"rr","kind":"information_request","status":"currently_due"}]}`},
		{"reasons and everything", rich, ""},
		{"pending verification reason kept", pending, ""},
		{"future deadline, no entries", futureDeadlineOnly, `{"future_current_deadline":1735862400,"entries":[]}`},
		{"unknown v1 members", withExtra(t, `{"z":[1, 2],"a":{"b":"<é>"}}`, `{"n":null}`),
			`{"v1_extra":{"a":"{\"b\":\"\\u003cé\\u003e\"}","z":"[1,2]"},"future_v1_extra":{"n":"null"},"entries":[]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := roundTrip(t, tt.set)
			if tt.want != "" && string(got) != tt.want {
				t.Fatalf("encoding:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSetJSON_Q1_DecodeValidatesAsAdd(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		invalid bool // the error also matches ErrInvalid
	}{
		{"not an object", `[]`, false},
		{"empty input", ``, false},
		{"trailing data", `{"entries":[]} {}`, false},
		{"unknown member", `{"entries":[],"extra":1}`, false},
		{"unknown entry member", `{"entries":[{"field":"a","status":"currently_due","deadline":1}]}`, false},
		{"entries wrong type", `{"entries":{}}`, false},
		{"deadline string", `{"current_deadline":"2025-01-01"}`, false},
		{"deadline fraction", `{"current_deadline":1.5}`, false},
		{"deadline zero", `{"current_deadline":0}`, true},
		{"deadline negative", `{"future_current_deadline":-5}`, true},
		{"deadline after 9999", `{"current_deadline":253402300800}`, true},
		{"null entry", `{"entries":[null]}`, true},
		{"no field", `{"entries":[{"status":"currently_due"}]}`, true},
		{"bad field", `{"entries":[{"field":"a b","status":"currently_due"}]}`, true},
		{"no status", `{"entries":[{"field":"a"}]}`, true},
		{"unknown status", `{"entries":[{"field":"a","status":"due_someday"}]}`, true},
		{"unknown kind", `{"entries":[{"field":"a","kind":"wish","status":"past_due"}]}`, true},
		{"kind number", `{"entries":[{"field":"a","kind":1,"status":"past_due"}]}`, false},
		{"duplicate field", `{"entries":[{"field":"a","status":"past_due"},{"field":"a","status":"eventually_due"}]}`, true},
		{"bad capability", `{"entries":[{"field":"a","status":"past_due","capabilities":[""]}]}`, true},
		{"error without code", `{"entries":[{"field":"a","status":"past_due","errors":[{"reason":"r"}]}]}`, true},
		{"empty alternative", `{"entries":[{"field":"a","status":"past_due","alternatives":[{"alternative_fields_due":[]}]}]}`, true},
		{"alternative without list", `{"entries":[{"field":"a","status":"past_due","alternatives":[{}]}]}`, true},
		{"bad requested reason", `{"entries":[{"field":"a","status":"past_due","requested_reasons":[{"code":""}]}]}`, true},
		{"bad disabled reason", `{"disabled_reason":"under review"}`, true},
		{"disabled reason number", `{"disabled_reason":3}`, false},
		{"v1 extra not an object", `{"v1_extra":[]}`, false},
		{"v1 extra value not a string", `{"v1_extra":{"x":1}}`, false},
		{"v1 extra value not JSON text", `{"v1_extra":{"x":"{"}}`, true},
		{"v1 extra value empty", `{"v1_extra":{"x":""}}`, true},
		{"v1 extra value two values", `{"v1_extra":{"x":"1 2"}}`, true},
		{"v1 extra named as a known member", `{"v1_extra":{"past_due":"[\"a\"]"}}`, true},
		{"future v1 extra named as a known member, another case", `{"future_v1_extra":{"Current_Deadline":"1"}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSet(t, requirements.Entry{Field: "held", Status: requirements.CurrentlyDue, Deadline: t1})
			before := s.Clone()
			err := s.UnmarshalJSON([]byte(tt.in))
			if !errors.Is(err, requirements.ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			var de *requirements.DecodeError
			if !errors.As(err, &de) || de.Encoding != "set" {
				t.Fatalf("err = %#v, want a set *DecodeError", err)
			}
			if tt.invalid && !errors.Is(err, requirements.ErrInvalid) {
				t.Fatalf("err = %v, want it to match ErrInvalid too", err)
			}
			if !s.Equal(before) {
				t.Fatal("refused decode changed the set")
			}
		})
	}
}

func TestSetJSON_Q1_DecodeNormalizesAsAdd(t *testing.T) {
	// Any order, unsorted lists, Future implied by its requested reason,
	// requirements.past_due (derived, never stored) dropped.
	in := `{"disabled_reason":"requirements.past_due","current_deadline":1735776000,"entries":[
		{"field":"z","status":"past_due","capabilities":["transfers","card_payments","transfers"]},
		{"field":"a","status":"eventually_due","requested_reasons":[{"code":"future_requirements"}]}]}`
	var s requirements.Set
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	want := mustSet(t,
		requirements.Entry{Field: "z", Status: requirements.PastDue, Deadline: t1, Capabilities: []requirements.Capability{requirements.CardPayments, requirements.Transfers}},
		requirements.Entry{Field: "a", Status: requirements.EventuallyDue, Future: true},
	)
	if !s.Equal(want) {
		t.Fatalf("decoded:\n%s", cmp.Diff(want.Entries(), s.Entries()))
	}
	if s.DisabledReason() != requirements.ReasonRequirementsPastDue {
		t.Fatalf("DisabledReason = %q", s.DisabledReason())
	}
	// null leaves the set as it was, as encoding/json does.
	if err := json.Unmarshal([]byte(`null`), &s); err != nil || !s.Equal(want) {
		t.Fatalf("null: %v", err)
	}
}

// drawReachableSet draws a set reached through the package's API only:
// DecodeV1 for the disabled reasons Stripe gave, SetDeadline, Add of
// entries of either kind with capabilities, errors, alternatives and
// requested reasons, then a few transitions (Advance, Submit,
// VerificationSucceeded, VerificationFailed) at the instants of clock.
func drawReachableSet(t *rapid.T) requirements.Set {
	reasons := []string{`null`, `"under_review"`, `"requirements.past_due"`, `"requirements.pending_verification"`, `"a_reason_added_later"`}
	s := withReasons(t,
		rapid.SampledFrom(reasons).Draw(t, "disabled_reason")+drawExtraMembers(t, "extra"),
		rapid.SampledFrom(reasons).Draw(t, "future_disabled_reason")+drawExtraMembers(t, "future_extra"))
	dlGen := rapid.SampledFrom([]int{-1, 2, 4, 6, 8})
	for i, name := range []string{"current_deadline", "future_deadline"} {
		if k := dlGen.Draw(t, name); k >= 0 {
			if err := s.SetDeadline(i == 1, clock[k]); err != nil {
				t.Fatal(err)
			}
		}
	}
	statuses := []requirements.Status{requirements.CurrentlyDue, requirements.EventuallyDue, requirements.PastDue, requirements.PendingVerification}
	reqReasons := []requirements.RequestedReason{requirements.ReasonRoutineOnboarding, requirements.ReasonFutureRequirements, "a_reason_added_later"}
	for _, f := range pool {
		for _, future := range []bool{false, true} {
			if !rapid.Bool().Draw(t, "has "+f) {
				continue
			}
			e := requirements.Entry{
				Field:            f,
				Kind:             requirements.Kind(rapid.IntRange(0, 1).Draw(t, "kind "+f)),
				Status:           rapid.SampledFrom(statuses).Draw(t, "status "+f),
				Future:           future,
				Capabilities:     rapid.SliceOfN(rapid.SampledFrom(caps), 0, 3).Draw(t, "caps "+f),
				RequestedReasons: rapid.SliceOfN(rapid.SampledFrom(reqReasons), 0, 2).Draw(t, "reasons "+f),
				Alternatives:     rapid.SliceOfN(rapid.SliceOfN(rapid.SampledFrom(pool), 1, 2), 0, 2).Draw(t, "alternatives "+f),
			}
			if future {
				e.RequestedReasons = append(e.RequestedReasons, requirements.ReasonFutureRequirements)
			} else {
				e.RequestedReasons = slicesWithout(e.RequestedReasons, requirements.ReasonFutureRequirements)
			}
			if rapid.Bool().Draw(t, "error "+f) {
				e.Errors = []requirements.Error{{Code: requirements.CodeVerificationFailedOther, Reason: "mismatch é"}}
			}
			if err := s.Add(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	steps := rapid.IntRange(0, 6).Draw(t, "steps")
	for range steps {
		now := clock[rapid.IntRange(0, len(clock)-1).Draw(t, "now")]
		field := rapid.SampledFrom(pool).Draw(t, "field")
		// Refused transitions leave the set unchanged: their errors are
		// the state machine test's business, not this one's.
		switch rapid.IntRange(0, 3).Draw(t, "op") {
		case 0:
			s.Advance(now)
		case 1:
			_ = s.Submit(field, now)
		case 2:
			_ = s.VerificationSucceeded(field, now)
		case 3:
			_ = s.VerificationFailed(field, requirements.Error{Code: "verification_failed_other", Reason: "again"}, now)
		}
	}
	return s
}

// drawExtraMembers draws up to three unknown members of a v1 hash, as
// JSON text to follow another member: "" or `,"name":value…`.
func drawExtraMembers(t *rapid.T, label string) string {
	names := []string{"minimum_deadline", "a_member_added_later", "Z", "", "pastdue"}
	values := []string{`null`, `1`, `-0.5e10`, `"é <&> \u2028"`, `[]`, `{"at": 1735776000, "fields": ["a", "b"]}`, `[true, {"x": [null]}]`}
	var b strings.Builder
	for _, name := range rapid.SliceOfNDistinct(rapid.SampledFrom(names), 0, 3, rapid.ID[string]).Draw(t, label+" names") {
		b.WriteString(`,"` + name + `":` + rapid.SampledFrom(values).Draw(t, label+" "+name))
	}
	return b.String()
}

func slicesWithout(rs []requirements.RequestedReason, r requirements.RequestedReason) []requirements.RequestedReason {
	var out []requirements.RequestedReason
	for _, x := range rs {
		if x != r {
			out = append(out, x)
		}
	}
	return out
}

func TestSetJSON_Q1_RoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := drawReachableSet(t)
		data, err := s.MarshalJSON()
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var back requirements.Set
		if err := back.UnmarshalJSON(data); err != nil {
			t.Fatalf("unmarshal of own encoding: %v\n%s", err, data)
		}
		if !back.Equal(s) {
			t.Fatalf("round trip changed the set:\n%s\n%s", data, cmp.Diff(s.Entries(), back.Entries()))
		}
		// A store that normalizes JSON (reorders members, rewrites numbers,
		// as PostgreSQL's jsonb does) gives an Equal set back too.
		var generic any
		if err := json.Unmarshal(data, &generic); err != nil {
			t.Fatal(err)
		}
		normalized, err := json.Marshal(generic)
		if err != nil {
			t.Fatal(err)
		}
		var viaStore requirements.Set
		if err := viaStore.UnmarshalJSON(normalized); err != nil || !viaStore.Equal(s) {
			t.Fatalf("normalized encoding does not read back Equal: %v\n%s\n%s", err, data, normalized)
		}
		// The views agree too, including the derived disabled reason.
		now := clock[len(clock)-1]
		if back.DisabledReason() != s.DisabledReason() || back.Complete() != s.Complete() ||
			!cmp.Equal(back.ActionsRequired(now), s.ActionsRequired(now)) {
			t.Fatalf("views differ after the round trip:\n%s", data)
		}
	})
}

// FuzzSetJSON checks that UnmarshalJSON never panics, that what it
// refuses is ErrMalformed and leaves the set unchanged, and that what it
// accepts round-trips: decode → encode → decode gives an Equal set and the
// encoding is stable.
func FuzzSetJSON(f *testing.F) {
	for _, s := range []string{
		`{"entries":[]}`, `{}`, `null`, `[]`, `{"entries":null}`,
		`{"current_deadline":1735776000,"entries":[{"field":"a","kind":"requirement","status":"currently_due"}]}`,
		`{"entries":[{"field":"a","kind":"requirement","status":"eventually_due","future":true,"requested_reasons":[{"code":"future_requirements"}]}]}`,
		`{"disabled_reason":"requirements.pending_verification","entries":[{"field":"p","status":"pending_verification"}]}`,
		`{"disabled_reason":"under_review","future_disabled_reason":"x","future_current_deadline":1735862400,"entries":[
			{"field":"z","status":"past_due","capabilities":["transfers","card_payments"],"errors":[{"code":"c","reason":"r"}]},
			{"field":"rr","kind":"information_request","status":"currently_due","requested_reasons":[{"code":"routine_onboarding"}]},
			{"field":"a","status":"currently_due","alternatives":[{"alternative_fields_due":["c","b"]},{"alternative_fields_due":["b"]}]}]}`,
		`{"entries":[{"field":"a","status":"past_due"},{"field":"a","status":"past_due","future":true}]}`,
		`{"v1_extra":{"minimum_deadline":"{\"at\":1735776000}","z":"[1, \"<&>\"]"},"future_v1_extra":{"":"null"},"entries":[]}`,
		`{"v1_extra":{"Past_Due":"[]"},"entries":[]}`,
	} {
		f.Add([]byte(s))
	}
	held := requirements.Entry{Field: "held", Status: requirements.CurrentlyDue, Deadline: time.Unix(1735776000, 0)}
	f.Fuzz(func(t *testing.T, data []byte) {
		s1, err := requirements.NewSet(held)
		if err != nil {
			t.Fatal(err)
		}
		before := s1.Clone()
		if err := s1.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, requirements.ErrMalformed) {
				t.Fatalf("error does not match ErrMalformed: %v", err)
			}
			if !s1.Equal(before) {
				t.Fatal("refused decode changed the set")
			}
			return
		}
		roundTrip(t, s1)
	})
}
