package requirements_test

import (
	"errors"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"github.com/google/go-cmp/cmp"
)

// Fixed instants for table tests.
var (
	t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 = t0.Add(24 * time.Hour)
	t2 = t0.Add(48 * time.Hour)
)

func mustSet(t testing.TB, entries ...requirements.Entry) requirements.Set {
	t.Helper()
	s, err := requirements.NewSet(entries...)
	if err != nil {
		t.Fatalf("NewSet: %v", err)
	}
	return s
}

func statuses(s requirements.Set) map[string]requirements.Status {
	m := map[string]requirements.Status{}
	for _, e := range s.Entries() {
		k := e.Field
		if e.Future {
			k = "future:" + k
		}
		m[k] = e.Status
	}
	return m
}

func TestZeroSet_Q9_EmptyIsComplete(t *testing.T) {
	var s requirements.Set
	if !s.Complete() || s.HasOutstandingTasks() || s.DisabledReason() != "" || s.DisabledCapabilities() != nil {
		t.Fatal("zero Set must be empty, complete, without tasks and not disabled")
	}
	if got := s.FieldsToCollect(requirements.Collection{}); got != nil {
		t.Fatalf("FieldsToCollect = %v, want nil", got)
	}
	s.Advance(t0)
	if s.Len() != 0 {
		t.Fatal("Advance changed an empty set")
	}
}

func TestAdvance_Q2_CurrentlyDuePastDeadlineBecomesPastDue(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		want requirements.Status
		off  []requirements.Capability
	}{
		{"before deadline", t0, requirements.CurrentlyDue, nil},
		{"exactly at deadline", t1, requirements.PastDue, []requirements.Capability{requirements.CardPayments, requirements.Transfers}},
		{"after deadline", t2, requirements.PastDue, []requirements.Capability{requirements.CardPayments, requirements.Transfers}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSet(t,
				requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue, Deadline: t1,
					Capabilities: []requirements.Capability{requirements.Transfers, requirements.CardPayments}},
				requirements.Entry{Field: "company.tax_id", Status: requirements.EventuallyDue},
			)
			s.Advance(tt.now)
			e, _ := s.Lookup("individual.dob.day", false)
			if e.Status != tt.want {
				t.Fatalf("status = %s, want %s", e.Status, tt.want)
			}
			var off []requirements.Capability
			for _, d := range s.DisabledCapabilities() {
				off = append(off, d.Capability)
			}
			if diff := cmp.Diff(tt.off, off); diff != "" {
				t.Fatalf("disabled capabilities (-want +got):\n%s", diff)
			}
			if e2, _ := s.Lookup("company.tax_id", false); e2.Status != requirements.EventuallyDue {
				t.Fatalf("eventually due changed to %s", e2.Status)
			}
		})
	}
}

func TestSubmit_Q7_Lifecycle(t *testing.T) {
	s := mustSet(t, requirements.Entry{Field: "external_account", Status: requirements.CurrentlyDue, Deadline: t2})
	if err := s.Submit("external_account", t0); err != nil {
		t.Fatal(err)
	}
	if got := statuses(s)["external_account"]; got != requirements.PendingVerification {
		t.Fatalf("after submit: %s", got)
	}
	err := s.Submit("external_account", t0)
	var te *requirements.TransitionError
	if !errors.Is(err, requirements.ErrIllegalTransition) || !errors.As(err, &te) || te.Rule != "Q7" {
		t.Fatalf("second submit: %v", err)
	}
	if err := s.VerificationFailed("external_account", requirements.Error{Code: "verification_failed_other", Reason: "no"}, t1); err != nil {
		t.Fatal(err)
	}
	if got := statuses(s)["external_account"]; got != requirements.CurrentlyDue {
		t.Fatalf("after failure: %s", got)
	}
	if err := s.Submit("external_account", t1); err != nil {
		t.Fatal(err)
	}
	if err := s.VerificationSucceeded("external_account", t1); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 0 || !s.Complete() {
		t.Fatalf("after success: %v", s.Entries())
	}
	if err := s.Submit("external_account", t1); !errors.Is(err, requirements.ErrUnknownField) {
		t.Fatalf("submit unknown: %v", err)
	}
}
