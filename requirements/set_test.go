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
	if !s.Complete() || s.HasOutstandingTasks() || s.DisabledReason() != "" || s.DisabledAt(t0).Disabled() || s.CapabilitiesAt(t0) != nil || s.ActionsRequired(t0) != nil {
		t.Fatal("zero Set must be empty, complete, without tasks and not disabled")
	}
	if got := s.FieldsToCollect(requirements.Collection{}); got != nil {
		t.Fatalf("FieldsToCollect = %v, want nil", got)
	}
}

// Disabled means Stripe said so or a deadline has since passed (Q2,
// principle 8): checked one second before the deadline T and at T, for a
// deadline of the account's hash, of a capability's hash and of a v2
// account, and for a snapshot in which Stripe already says so.
func TestDisabledAt_Q2_StripeSaysOrDeadlinePassed(t *testing.T) {
	T := t1
	dec := func(f func([]byte) (requirements.Set, error), payload string) func(t *testing.T) requirements.Set {
		return func(t *testing.T) requirements.Set {
			s, err := f([]byte(payload))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	v1 := func(b []byte) (requirements.Set, error) {
		return requirements.DecodeV1(b, requirements.Impact{"individual.dob.day": {requirements.CardPayments}})
	}
	u := fmt.Sprint(T.Unix())
	tests := []struct {
		name    string
		set     func(t *testing.T) requirements.Set
		account bool // the account is disabled (else only the capability)
		stripe  bool // Stripe's snapshot already says disabled
	}{
		{"account hash, prediction", func(t *testing.T) requirements.Set {
			return mustSet(t, requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue, Deadline: T,
				Capabilities: []requirements.Capability{requirements.CardPayments}})
		}, true, false},
		{"account hash decoded, prediction", dec(v1, `{"object":"account","capabilities":{"card_payments":"active"},"requirements":{"current_deadline":`+u+`,"currently_due":["individual.dob.day"],"eventually_due":["individual.dob.day"],"disabled_reason":null}}`), true, false},
		{"capability hash, prediction", dec(v1, `{"object":"capability","id":"card_payments","status":"active","requirements":{"current_deadline":`+u+`,"currently_due":["individual.dob.day"],"eventually_due":["individual.dob.day"],"past_due":[],"pending_verification":[],"errors":[],"disabled_reason":null}}`), false, false},
		{"v2 account, prediction", dec(requirements.DecodeV2, `{"object":"v2.core.account","requirements":{"entries":[{"awaiting_action_from":"user","description":"individual.dob.day","errors":[],"impact":{"restricts_capabilities":[{"capability":"card_payments","configuration":"merchant","deadline":{"status":"currently_due"}}]},"minimum_deadline":{"status":"currently_due"},"requested_reasons":[]}],"summary":{"minimum_deadline":{"status":"currently_due","time":"`+T.Format("2006-01-02T15:04:05.000Z")+`"}}}}`), true, false},
		{"account hash, Stripe says", dec(v1, `{"object":"account","requirements":{"current_deadline":`+u+`,"currently_due":["individual.dob.day"],"past_due":["individual.dob.day"],"disabled_reason":"requirements.past_due"}}`), true, true},
		{"capability hash, Stripe says", dec(v1, `{"object":"capability","id":"card_payments","status":"inactive","requirements":{"current_deadline":`+u+`,"currently_due":["individual.dob.day"],"eventually_due":[],"past_due":["individual.dob.day"],"pending_verification":[],"errors":[],"disabled_reason":"requirements.fields_needed"}}`), false, true},
	}
	for _, tt := range tests {
		for _, now := range []time.Time{T.Add(-time.Second), T} {
			t.Run(fmt.Sprintf("%s/at_%s", tt.name, now.Format(time.TimeOnly)), func(t *testing.T) {
				s := tt.set(t)
				want := tt.stripe || !now.Before(T)
				acc := s.DisabledAt(now)
				if got := acc.Disabled(); got != (want && tt.account) {
					t.Fatalf("account disabled = %v, want %v (%+v)", got, want && tt.account, acc)
				}
				if acc.Disabled() && acc.Predicted() == tt.stripe {
					t.Fatalf("account Predicted = %v with Stripe saying %v", acc.Predicted(), tt.stripe)
				}
				var off []requirements.Capability
				for _, d := range s.DisabledCapabilitiesAt(now) {
					off = append(off, d.Capability)
					if !cmp.Equal(d.Fields(), []string{"individual.dob.day"}) && !tt.stripe {
						t.Fatalf("fields = %v", d.Fields())
					}
				}
				var wantOff []requirements.Capability
				if want {
					wantOff = []requirements.Capability{requirements.CardPayments}
				}
				if diff := cmp.Diff(wantOff, off); diff != "" {
					t.Fatalf("disabled capabilities (-want +got):\n%s", diff)
				}
				e, _ := s.Lookup("individual.dob.day")
				if !tt.stripe && e.Field != "" && e.Status != requirements.CurrentlyDue {
					t.Fatalf("the prediction rewrote Stripe's lists: %v", e.Lists)
				}
			})
		}
	}
}

func TestSubmit_Q7_LifecycleClearsOldErrors(t *testing.T) {
	s := mustSet(t, requirements.Entry{Field: "external_account", Status: requirements.CurrentlyDue, Deadline: t2})
	if err := s.Submit("external_account"); err != nil {
		t.Fatal(err)
	}
	if got := statuses(s)["external_account"]; got != requirements.PendingVerification {
		t.Fatalf("after submit: %s", got)
	}
	err := s.Submit("external_account")
	var te *requirements.TransitionError
	if !errors.Is(err, requirements.ErrIllegalTransition) || !errors.As(err, &te) || te.Rule != "Q7" {
		t.Fatalf("second submit: %v", err)
	}
	if err := s.VerificationFailed("external_account", requirements.Error{Code: "verification_failed_other", Reason: "no"}); err != nil {
		t.Fatal(err)
	}
	if got := statuses(s)["external_account"]; got != requirements.CurrentlyDue {
		t.Fatalf("after failure: %s", got)
	}
	if e, _ := s.Lookup("external_account"); len(e.Errors) != 1 {
		t.Fatalf("after failure: errors %v", e.Errors)
	}
	if err := s.Submit("external_account"); err != nil {
		t.Fatal(err)
	}
	// Q7: the resubmission answers the failed review: the old error goes.
	if e, _ := s.Lookup("external_account"); e.Errors != nil {
		t.Fatalf("after resubmission: errors %v, want none", e.Errors)
	}
	if b, _ := requirements.EncodeV1(s); strings.Contains(string(b), "verification_failed_other") {
		t.Fatalf("after resubmission the v1 encoding still carries the error: %s", b)
	}
	if err := s.VerificationSucceeded("external_account"); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 0 || !s.Complete() {
		t.Fatalf("after success: %v", s.Entries())
	}
	if err := s.Submit("external_account"); !errors.Is(err, requirements.ErrUnknownField) {
		t.Fatalf("submit unknown: %v", err)
	}
}
