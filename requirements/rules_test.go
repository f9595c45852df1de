package requirements_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"github.com/google/go-cmp/cmp"
)

func TestStatus_Q1_WireNames(t *testing.T) {
	for _, tt := range []struct {
		s    requirements.Status
		wire string
	}{
		{requirements.CurrentlyDue, "currently_due"},
		{requirements.EventuallyDue, "eventually_due"},
		{requirements.PastDue, "past_due"},
		{requirements.PendingVerification, "pending_verification"},
	} {
		b, err := tt.s.MarshalText()
		if err != nil || string(b) != tt.wire {
			t.Fatalf("%v: %q, %v", tt.s, b, err)
		}
		var back requirements.Status
		if err := back.UnmarshalText(b); err != nil || back != tt.s {
			t.Fatalf("round trip %q: %v %v", b, back, err)
		}
	}
	var s requirements.Status
	if err := s.UnmarshalText([]byte("due_someday")); !errors.Is(err, requirements.ErrInvalid) {
		t.Fatalf("unknown status: %v", err)
	}
}

func TestAdd_Q1_Validation(t *testing.T) {
	tests := []struct {
		name string
		e    requirements.Entry
	}{
		{"zero entry", requirements.Entry{}},
		{"no status", requirements.Entry{Field: "a"}},
		{"bad field", requirements.Entry{Field: "a b", Status: requirements.CurrentlyDue}},
		{"deadline on eventually due", requirements.Entry{Field: "a", Status: requirements.EventuallyDue, Deadline: t0}},
		{"sub-second deadline", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Deadline: t0.Add(time.Millisecond)}},
		{"deadline before 1970", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Deadline: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"bad capability", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Capabilities: []requirements.Capability{""}}},
		{"error without code", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Errors: []requirements.Error{{Reason: "x"}}}},
		{"empty alternative", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Alternatives: [][]string{{}}}},
		{"duplicate", requirements.Entry{Field: "held", Status: requirements.EventuallyDue}},
		{"lists disagree with status", requirements.Entry{Field: "b", Status: requirements.EventuallyDue, Lists: requirements.ListsOf(requirements.PastDue)}},
		{"unknown list bits", requirements.Entry{Field: "b", Lists: 64}},
		{"NUL in field", requirements.Entry{Field: "a\x00b", Status: requirements.CurrentlyDue}},
		{"invalid utf-8 in field", requirements.Entry{Field: "a\xffb", Status: requirements.CurrentlyDue}},
		{"absurdly long field", requirements.Entry{Field: strings.Repeat("a", requirements.MaxNameLen+1), Status: requirements.CurrentlyDue}},
		{"NUL in error reason", requirements.Entry{Field: "b", Status: requirements.CurrentlyDue, Errors: []requirements.Error{{Code: "x", Reason: "a\x00"}}}},
		{"invalid utf-8 in error reason", requirements.Entry{Field: "b", Status: requirements.CurrentlyDue, Errors: []requirements.Error{{Code: "x", Reason: "\xff"}}}},
		{"absurdly long error reason", requirements.Entry{Field: "b", Status: requirements.CurrentlyDue, Errors: []requirements.Error{{Code: "x", Reason: strings.Repeat("r", requirements.MaxTextLen+1)}}}},
		{"NUL in error code", requirements.Entry{Field: "b", Status: requirements.CurrentlyDue, Errors: []requirements.Error{{Code: "x\x00"}}}},
		{"v2 alternatives", requirements.Entry{Field: "b", Status: requirements.CurrentlyDue, Source: requirements.Source{V2: true}, Alternatives: [][]string{{"c"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSet(t, requirements.Entry{Field: "held", Status: requirements.CurrentlyDue, Deadline: t1})
			before := s.Clone()
			if err := s.Add(tt.e); !errors.Is(err, requirements.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if !s.Equal(before) {
				t.Fatal("rejected Add changed the set")
			}
		})
	}
}

// Q4: every requirement has its own due date; hashes never conflict.
func TestAdd_Q4_PerRequirementDeadlines(t *testing.T) {
	s := mustSet(t,
		requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Deadline: t2},
		requirements.Entry{Field: "b", Status: requirements.CurrentlyDue, Deadline: t1},
		requirements.Entry{Field: "c", Status: requirements.CurrentlyDue, Deadline: t2, Source: requirements.Source{Capability: requirements.CardPayments}},
	)
	var got []string
	for _, a := range s.ActionsRequired(t0) {
		got = append(got, a.Field+" "+a.DueDate.Format("01-02"))
	}
	if diff := cmp.Diff([]string{"b 01-02", "a 01-03", "c 01-03"}, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestStatusAt_Q2_PredictionIsAViewNotARewrite(t *testing.T) {
	s := mustSet(t,
		requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Deadline: t1, Capabilities: []requirements.Capability{requirements.Transfers}},
		requirements.Entry{Field: "b", Status: requirements.EventuallyDue},
	)
	before := s.Clone()
	_ = s.ActionsRequired(t2)
	_ = s.DisabledAt(t2)
	_ = s.CapabilitiesAt(t2)
	if !s.Equal(before) {
		t.Fatal("a view at now changed the set")
	}
	e, _ := s.Lookup("a")
	if e.Lists != requirements.ListsOf(requirements.CurrentlyDue, requirements.EventuallyDue) || e.StatusAt(t2) != requirements.PastDue || e.StatusAt(t0) != requirements.CurrentlyDue {
		t.Fatalf("lists %v, at t0 %v, at t2 %v", e.Lists, e.StatusAt(t0), e.StatusAt(t2))
	}
	if s.DisabledReason() != "" || s.DisabledAt(t2).Reason() != requirements.ReasonRequirementsPastDue {
		t.Fatalf("Stripe said nothing (%q); predicted %q", s.DisabledReason(), s.DisabledAt(t2).Reason())
	}
}

func TestStatusAt_Q2_FutureDeadlineArrives(t *testing.T) {
	s := mustSet(t,
		requirements.Entry{Field: "company.tax_id", Status: requirements.EventuallyDue},
		requirements.Entry{Field: "company.tax_id", Status: requirements.CurrentlyDue, Future: true},
		requirements.Entry{Field: "company.address.city", Status: requirements.EventuallyDue, Future: true},
	)
	if err := s.SetDeadline(true, t1); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		now  time.Time
		want requirements.Priority
	}{{t1.Add(-time.Second), requirements.PriorityFutureRequirement}, {t1, requirements.PriorityPastDue}} {
		acts := s.ActionsRequired(tc.now)
		if len(acts) == 0 || acts[0].Field != "company.tax_id" || acts[0].Priority != tc.want || !acts[0].DueDate.Equal(t1) {
			t.Fatalf("at %v: %+v", tc.now, acts)
		}
	}
	if got := s.DisabledAt(t1).Overdue; !cmp.Equal(got, []string{"company.tax_id"}) {
		t.Fatalf("overdue at the future deadline = %v", got)
	}
}

func TestVerificationFailed_Q7_PastDeadlineIsPastDueAtOnce(t *testing.T) {
	s := mustSet(t, requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Deadline: t1, Capabilities: []requirements.Capability{requirements.CardPayments}})
	if err := s.Submit("a"); err != nil {
		t.Fatal(err)
	}
	e := requirements.Error{Code: requirements.CodeVerificationDocumentExpired, Reason: "The document has expired."}
	if err := s.VerificationFailed("a", e); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Lookup("a")
	if got.StatusAt(t2) != requirements.PastDue || got.Status != requirements.CurrentlyDue || !cmp.Equal(got.Errors, []requirements.Error{e}) {
		t.Fatalf("entry = %+v", got)
	}
	if err := s.VerificationFailed("a", requirements.Error{}); !errors.Is(err, requirements.ErrInvalid) {
		t.Fatalf("zero error: %v", err)
	}
}

func TestTransitions_Q7_IllegalLeavesSetUnchanged(t *testing.T) {
	tests := []struct {
		name string
		op   func(*requirements.Set) error
		want error
		from requirements.Status
	}{
		{"submit pending", func(s *requirements.Set) error { return s.Submit("p") }, requirements.ErrIllegalTransition, requirements.PendingVerification},
		{"succeed due", func(s *requirements.Set) error { return s.VerificationSucceeded("d") }, requirements.ErrIllegalTransition, requirements.CurrentlyDue},
		{"fail due", func(s *requirements.Set) error {
			return s.VerificationFailed("d", requirements.Error{Code: "x"})
		}, requirements.ErrIllegalTransition, requirements.CurrentlyDue},
		{"submit unknown", func(s *requirements.Set) error { return s.Submit("nope") }, requirements.ErrUnknownField, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The error reports the status by Stripe's lists.
			s := mustSet(t,
				requirements.Entry{Field: "d", Status: requirements.CurrentlyDue, Deadline: t1},
				requirements.Entry{Field: "p", Status: requirements.PendingVerification},
			)
			before := s.Clone()
			err := tt.op(&s)
			var te *requirements.TransitionError
			if !errors.Is(err, tt.want) || !errors.As(err, &te) || te.Rule != "Q7" || te.From != tt.from {
				t.Fatalf("err = %v (%+v)", err, te)
			}
			if !s.Equal(before) {
				t.Fatal("set changed after a rejected transition")
			}
		})
	}
}

func TestActionsRequired_Q3_Order(t *testing.T) {
	s := mustSet(t,
		requirements.Entry{Field: "z.eventually", Status: requirements.EventuallyDue},
		requirements.Entry{Field: "y.future", Status: requirements.CurrentlyDue, Future: true, Deadline: t3()},
		requirements.Entry{Field: "b.current", Status: requirements.CurrentlyDue, Deadline: t2},
		requirements.Entry{Field: "a.current", Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "x.past", Status: requirements.PastDue},
		requirements.Entry{Field: "w.request", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "v.pending", Status: requirements.PendingVerification},
	)
	var got []string
	for _, a := range s.ActionsRequired(t0) {
		got = append(got, fmt.Sprintf("%s %s %s", a.Priority.Label(), a.Field, a.DueDate.Format("01-02")))
	}
	want := []string{
		"Various w.request 01-01",
		"Past due x.past 01-01",
		"Currently due b.current 01-03",
		"Currently due a.current 01-01",
		"Future requirement y.future 01-04",
		"Due later z.eventually 01-01",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func t3() time.Time { return t0.Add(72 * time.Hour) }

func TestActionsRequired_Q3_EarliestDueDateThenField(t *testing.T) {
	s := mustSet(t,
		requirements.Entry{Field: "b", Status: requirements.CurrentlyDue, Deadline: t2},
		requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Future: true, Deadline: t1},
		requirements.Entry{Field: "c", Status: requirements.EventuallyDue, Future: true},
	)
	var got []string
	for _, a := range s.ActionsRequired(t0) {
		got = append(got, a.Field)
	}
	if diff := cmp.Diff([]string{"b", "a", "c"}, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestActionsRequired_Q2_ComputedFromNow(t *testing.T) {
	s := mustSet(t, requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Deadline: t1})
	acts := s.ActionsRequired(t2)
	if len(acts) != 1 || acts[0].Priority != requirements.PriorityPastDue {
		t.Fatalf("actions at t2 = %+v", acts)
	}
	if got, _ := s.Lookup("a"); got.Status != requirements.CurrentlyDue {
		t.Fatal("ActionsRequired mutated the set")
	}
}

func TestActionsRequired_Q4_DueDateAndCapabilities(t *testing.T) {
	s := mustSet(t,
		requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Deadline: t1, Capabilities: []requirements.Capability{requirements.Transfers, requirements.CardPayments}},
		requirements.Entry{Field: "b", Status: requirements.EventuallyDue, Capabilities: []requirements.Capability{requirements.Treasury}},
	)
	acts := s.ActionsRequired(t0)
	want := []requirements.Action{
		{Priority: requirements.PriorityCurrentlyDue, Field: "a", Status: requirements.CurrentlyDue, DueDate: t1,
			Capabilities: []requirements.Capability{requirements.CardPayments, requirements.Transfers},
			Paths:        requirements.PathsOf(requirements.PathRemediationLink), AwaitingActionFrom: requirements.ActorAccount},
		{Priority: requirements.PriorityEventuallyDue, Field: "b", Status: requirements.EventuallyDue,
			Capabilities: []requirements.Capability{requirements.Treasury},
			Paths:        requirements.PathsOf(requirements.PathRemediationLink), AwaitingActionFrom: requirements.ActorAccount},
	}
	if diff := cmp.Diff(want, acts); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// The result shares no memory with the set.
	acts[0].Capabilities[0] = "mutated"
	if e, _ := s.Lookup("a"); e.Capabilities[0] != requirements.CardPayments {
		t.Fatal("action aliases the set's capabilities")
	}
}

func TestActionsRequired_Q6_RemediationPaths(t *testing.T) {
	withErr := []requirements.Error{{Code: requirements.CodeVerificationFailedOther, Reason: "r"}}
	tests := []struct {
		name  string
		e     requirements.Entry
		opts  requirements.ActionOptions
		paths requirements.Paths
		actor requirements.Actor
	}{
		{"stripe collects", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue}, requirements.ActionOptions{},
			requirements.PathsOf(requirements.PathRemediationLink), requirements.ActorAccount},
		{"platform collects", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue}, requirements.ActionOptions{PlatformCollects: true},
			requirements.PathsOf(requirements.PathSubmit, requirements.PathRemediationLink), requirements.ActorPlatform},
		{"failed review", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Errors: withErr}, requirements.ActionOptions{},
			requirements.PathsOf(requirements.PathRemediationLink, requirements.PathContactSupport), requirements.ActorAccount},
		{"information request", requirements.Entry{Field: "r", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue}, requirements.ActionOptions{},
			requirements.PathsOf(requirements.PathSubmit, requirements.PathContactSupport), requirements.ActorPlatform},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acts := mustSet(t, tt.e).ActionsRequiredWith(t0, tt.opts)
			if len(acts) != 1 || acts[0].Paths != tt.paths || acts[0].AwaitingActionFrom != tt.actor {
				t.Fatalf("actions = %+v, want paths %v actor %v", acts, tt.paths, tt.actor)
			}
		})
	}
}

func TestFieldsToCollect_Q5_Scopes(t *testing.T) {
	s := mustSet(t,
		requirements.Entry{Field: "past", Status: requirements.PastDue},
		requirements.Entry{Field: "current", Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "later", Status: requirements.EventuallyDue},
		requirements.Entry{Field: "pending", Status: requirements.PendingVerification},
		requirements.Entry{Field: "request", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "future.now", Status: requirements.CurrentlyDue, Future: true},
		requirements.Entry{Field: "future.later", Status: requirements.EventuallyDue, Future: true},
		requirements.Entry{Field: "current", Status: requirements.CurrentlyDue, Future: true},
	)
	tests := []struct {
		name string
		c    requirements.Collection
		want []string
	}{
		{"zero value is incremental, omit", requirements.Collection{}, []string{"current", "past"}},
		{"incremental", requirements.Collection{Fields: requirements.CollectCurrentlyDue, FutureRequirements: requirements.FutureOmit}, []string{"current", "past"}},
		{"up-front", requirements.Collection{Fields: requirements.CollectEventuallyDue}, []string{"current", "later", "past"}},
		{"incremental with future", requirements.Collection{FutureRequirements: requirements.FutureInclude}, []string{"current", "future.now", "past"}},
		{"up-front with future", requirements.Collection{Fields: requirements.CollectEventuallyDue, FutureRequirements: requirements.FutureInclude},
			[]string{"current", "future.later", "future.now", "later", "past"}},
		{"invalid", requirements.Collection{Fields: "everything"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, s.FieldsToCollect(tt.c)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCollection_Q5_Validate(t *testing.T) {
	if err := (requirements.Collection{}).Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []requirements.Collection{{Fields: "all"}, {FutureRequirements: "yes"}} {
		if err := c.Validate(); !errors.Is(err, requirements.ErrInvalid) {
			t.Fatalf("%+v: %v", c, err)
		}
	}
}

func TestAdd_Q8_FutureRequirementsReason(t *testing.T) {
	s := mustSet(t,
		requirements.Entry{Field: "a", Status: requirements.EventuallyDue, RequestedReasons: []requirements.RequestedReason{requirements.ReasonFutureRequirements}},
		requirements.Entry{Field: "b", Status: requirements.EventuallyDue, Future: true},
	)
	for _, e := range s.Entries() {
		if !e.Future || !cmp.Equal(e.RequestedReasons, []requirements.RequestedReason{requirements.ReasonFutureRequirements}) {
			t.Fatalf("entry %+v: Future and future_requirements must agree", e)
		}
	}
}

func TestComplete_Q9_OnlyAnEmptyDueSet(t *testing.T) {
	tests := []struct {
		name        string
		e           requirements.Entry
		complete    bool
		outstanding bool
	}{
		{"currently due", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue}, false, true},
		{"eventually due", requirements.Entry{Field: "a", Status: requirements.EventuallyDue}, false, true},
		{"past due", requirements.Entry{Field: "a", Status: requirements.PastDue}, false, true},
		{"pending verification", requirements.Entry{Field: "a", Status: requirements.PendingVerification}, true, false},
		{"future only", requirements.Entry{Field: "a", Status: requirements.CurrentlyDue, Future: true}, true, true},
		{"information request", requirements.Entry{Field: "r", Kind: requirements.InformationRequest, Status: requirements.CurrentlyDue}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSet(t, tt.e)
			if s.Complete() != tt.complete || s.HasOutstandingTasks() != tt.outstanding {
				t.Fatalf("Complete=%v HasOutstandingTasks=%v", s.Complete(), s.HasOutstandingTasks())
			}
		})
	}
}

func TestDisabledReason_Q2_StripesWordVerbatim(t *testing.T) {
	dec := func(reason, lists string) requirements.Set {
		s, err := requirements.DecodeV1([]byte(`{"requirements":{"disabled_reason":`+reason+lists+`}}`), nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		name, reason, lists string
		want                requirements.DisabledReason
		disabled            bool
	}{
		{"rejection kept with past due fields", `"rejected.fraud"`, `,"past_due":["a"]`, requirements.ReasonRejectedFraud, true},
		{"past_due kept with an empty past_due list", `"requirements.past_due"`, ``, requirements.ReasonRequirementsPastDue, true},
		{"pending_verification kept", `"requirements.pending_verification"`, `,"pending_verification":["p"]`, requirements.ReasonRequirementsPendingVerification, true},
		{"unknown reason kept", `"a_reason_stripe_adds_later"`, ``, "a_reason_stripe_adds_later", true},
		{"null is not disabled", `null`, `,"currently_due":["a"]`, "", false},
		{"null with a past due field: disabled by the lists", `null`, `,"past_due":["a"]`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := dec(tt.reason, tt.lists)
			if got := s.DisabledReason(); got != tt.want {
				t.Fatalf("DisabledReason = %q, want %q", got, tt.want)
			}
			if st := s.DisabledAt(t0); st.Disabled() != tt.disabled || st.StripeReason != tt.want || st.Predicted() {
				t.Fatalf("DisabledAt = %+v", st)
			}
		})
	}
	s := dec(`"requirements.pending_verification"`, `,"pending_verification":["p"]`)
	if err := s.VerificationSucceeded("p"); err != nil {
		t.Fatal(err)
	}
	if got := s.DisabledReason(); got != requirements.ReasonRequirementsPendingVerification {
		t.Fatalf("a transition rewrote Stripe's reason: %q", got)
	}
}

func TestClone_SharesNoMemory(t *testing.T) {
	s := mustSet(t, requirements.Entry{Field: "a", Status: requirements.PastDue,
		Capabilities: []requirements.Capability{requirements.Transfers},
		Errors:       []requirements.Error{{Code: "x"}}, Alternatives: [][]string{{"b"}}})
	c := s.Clone()
	if err := c.Submit("a"); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Lookup("a"); e.Status != requirements.PastDue || len(e.Errors) != 1 {
		t.Fatalf("original changed: %+v", e)
	}
	e, _ := s.Lookup("a")
	e.Capabilities[0] = "changed"
	e.Alternatives[0][0] = "changed"
	if e2, _ := s.Lookup("a"); e2.Capabilities[0] != requirements.Transfers || e2.Alternatives[0][0] != "b" {
		t.Fatal("Lookup aliases the set")
	}
}

func TestPaths_Q6_Bitset(t *testing.T) {
	p := requirements.PathsOf(requirements.PathContactSupport, requirements.PathSubmit, 0, 9)
	var got []requirements.Path
	for x := range p.All() {
		got = append(got, x)
	}
	if p.Len() != 2 || !cmp.Equal(got, []requirements.Path{requirements.PathSubmit, requirements.PathContactSupport}) || p.String() != "submit_information,contact_support" {
		t.Fatalf("paths %v %v %q", p.Len(), got, p.String())
	}
}
