package requirements_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// The plain model: per hash, a map from field to the set of lists it is in
// (as a sorted string), the hash's deadline, and each field's error count.
// It is written from the rules (Q2, Q3, Q7, principle 8), apart from the
// production code.

var machineSources = []requirements.Source{
	{},
	{Future: true},
	{Capability: requirements.CardPayments},
	{Capability: requirements.Transfers},
}

var machineFields = []string{"a", "b", "c", "d"}

type mhash struct {
	lists    map[string]requirements.Lists
	errs     map[string]int
	deadline time.Time
}

type machine struct {
	s     requirements.Set
	m     []mhash
	now   time.Time
	start time.Time
	buf   []requirements.Action // reused by AppendActionsRequired, dirty
}

func (sm *machine) init(t *rapid.T) {
	sm.start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sm.now = sm.start
	sm.m = make([]mhash, len(machineSources))
	var entries []requirements.Entry
	for i, src := range machineSources {
		h := mhash{lists: map[string]requirements.Lists{}, errs: map[string]int{}}
		if rapid.Bool().Draw(t, fmt.Sprintf("hash_%d.deadline", i)) {
			h.deadline = sm.start.Add(time.Duration(rapid.IntRange(0, 48).Draw(t, fmt.Sprintf("hash_%d.hours", i))) * time.Hour)
		}
		for _, f := range machineFields {
			st := rapid.SampledFrom([]requirements.Status{"", requirements.CurrentlyDue, requirements.EventuallyDue, requirements.PastDue, requirements.PendingVerification}).Draw(t, fmt.Sprintf("hash_%d.%s", i, f))
			if st == "" {
				continue
			}
			l := requirements.StripeLists(st)
			if st == requirements.EventuallyDue && rapid.Bool().Draw(t, fmt.Sprintf("hash_%d.%s.also_pending", i, f)) {
				l = l.With(requirements.PendingVerification) // due and under review at once
			}
			h.lists[f] = l
			entries = append(entries, requirements.Entry{Field: f, Source: src, Lists: l})
		}
		sm.m[i] = h
	}
	var err error
	if sm.s, err = requirements.NewSet(entries...); err != nil {
		t.Fatal(err)
	}
	for i, src := range machineSources {
		if err := sm.s.SetHashDeadline(src, sm.m[i].deadline); err != nil {
			t.Fatal(err)
		}
	}
}

func (sm *machine) Tick(t *rapid.T) {
	sm.now = sm.now.Add(time.Duration(rapid.IntRange(0, 12*3600).Draw(t, "seconds")) * time.Second)
}

func (sm *machine) op(t *rapid.T, op string) {
	f := rapid.SampledFrom(machineFields).Draw(t, "field")
	before := sm.s.Clone()
	var err error
	legal := func(l requirements.Lists) bool { return l.Has(requirements.PendingVerification) }
	if op == "submit" {
		legal = requirements.Lists.Due
	}
	found, hit := false, false
	for i := range sm.m {
		if l, ok := sm.m[i].lists[f]; ok {
			found = true
			hit = hit || legal(l)
		}
	}
	switch op {
	case "submit":
		err = sm.s.Submit(f)
	case "ok":
		err = sm.s.VerificationSucceeded(f)
	case "fail":
		err = sm.s.VerificationFailed(f, requirements.Error{Code: requirements.CodeVerificationDocumentExpired, Reason: "expired"})
	}
	switch {
	case !found:
		if !errors.Is(err, requirements.ErrUnknownField) || !sm.s.Equal(before) {
			t.Fatalf("%s %s on no hash: %v", op, f, err)
		}
		return
	case !hit:
		if !errors.Is(err, requirements.ErrIllegalTransition) || !sm.s.Equal(before) {
			t.Fatalf("%s %s illegal: %v", op, f, err)
		}
		return
	case err != nil:
		t.Fatalf("%s %s: %v", op, f, err)
	}
	due := requirements.ListsOf(requirements.CurrentlyDue, requirements.EventuallyDue, requirements.PastDue)
	for i := range sm.m {
		l, ok := sm.m[i].lists[f]
		if !ok || !legal(l) {
			continue
		}
		switch op {
		case "submit": // Q7: pending verification, old errors gone
			sm.m[i].lists[f] = l&^due | requirements.ListsOf(requirements.PendingVerification)
			delete(sm.m[i].errs, f)
		case "ok": // Q7: cleared
			if l = l.Without(requirements.PendingVerification); l == 0 {
				delete(sm.m[i].lists, f)
			} else {
				sm.m[i].lists[f] = l
			}
		case "fail": // Q7: due again with the error
			sm.m[i].lists[f] = l.Without(requirements.PendingVerification) | requirements.ListsOf(requirements.CurrentlyDue, requirements.EventuallyDue)
			sm.m[i].errs[f] = 1
		}
	}
}

func (sm *machine) Submit(t *rapid.T)                { sm.op(t, "submit") }
func (sm *machine) VerificationSucceeded(t *rapid.T) { sm.op(t, "ok") }
func (sm *machine) VerificationFailed(t *rapid.T)    { sm.op(t, "fail") }

// mstatus is the model's status at now (Q2): past due when listed so or
// currently due with an arrived deadline.
func mstatus(l requirements.Lists, deadline, now time.Time) requirements.Status {
	if l.Has(requirements.CurrentlyDue) && !deadline.IsZero() && !now.Before(deadline) {
		return requirements.PastDue
	}
	return l.Primary()
}

func (sm *machine) Check(t *rapid.T) {
	// Stripe's word: every list membership, untouched by time.
	for i, src := range machineSources {
		for _, f := range machineFields {
			e, ok := sm.s.LookupIn(src, f)
			l, want := sm.m[i].lists[f]
			if ok != want || e.Lists != l || len(e.Errors) != sm.m[i].errs[f] {
				t.Fatalf("%v %s: got %v %v errors %v, model %v %v errors %d", src, f, ok, e.Lists, e.Errors, want, l, sm.m[i].errs[f])
			}
			if ok && e.StatusAt(sm.now) != mstatus(l, sm.m[i].deadline, sm.now) {
				t.Fatalf("%v %s at %v: %v, model %v", src, f, sm.now, e.StatusAt(sm.now), mstatus(l, sm.m[i].deadline, sm.now))
			}
		}
	}
	// The account: disabled when a field of its hashes is past due at now.
	var wantAcct []string
	complete := true
	for i, src := range machineSources {
		for f, l := range sm.m[i].lists {
			if src.Capability == "" && (l.Has(requirements.PastDue) && !src.Future || mstatus(l, sm.m[i].deadline, sm.now) == requirements.PastDue && !l.Has(requirements.PastDue)) {
				wantAcct = append(wantAcct, f)
			}
			if !src.Future && l.Due() {
				complete = false
			}
		}
	}
	slices.Sort(wantAcct)
	wantAcct = slices.Compact(wantAcct)
	if got := sm.s.DisabledAt(sm.now); !cmp.Equal(got.Fields(), wantAcct, cmp.Comparer(func(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") })) || got.Disabled() != (len(wantAcct) > 0) {
		t.Fatalf("account at %v: %+v, model %v", sm.now, got, wantAcct)
	}
	if sm.s.Complete() != complete {
		t.Fatalf("Complete = %v, model %v", sm.s.Complete(), complete)
	}
	// Actions required: one per field due somewhere, in Q3's order.
	acts := sm.s.ActionsRequired(sm.now)
	var want []string
	for _, f := range machineFields {
		for i := range sm.m {
			if sm.m[i].lists[f].Due() {
				want = append(want, f)
				break
			}
		}
	}
	var got []string
	for i, a := range acts {
		got = append(got, a.Field)
		if i > 0 && q3Less(a, acts[i-1]) {
			t.Fatalf("actions out of Q3 order: %+v before %+v", acts[i-1], a)
		}
	}
	slices.Sort(got)
	if !cmp.Equal(want, got) {
		t.Fatalf("actions for %v, model %v", got, want)
	}
	// AppendActionsRequired (Q3): the same list after what dst holds, and
	// again into a reused buffer still holding earlier lists' actions.
	kept := []requirements.Action{{Field: "kept"}}
	if app := sm.s.AppendActionsRequired(kept, sm.now, requirements.ActionOptions{}); !cmp.Equal(app[:1], kept) || !cmp.Equal(app[1:], acts, cmpopts.EquateEmpty()) {
		t.Fatalf("AppendActionsRequired after one action: %+v, want it and %+v", app, acts)
	}
	sm.buf = sm.s.AppendActionsRequired(sm.buf[:0], sm.now, requirements.ActionOptions{})
	if !cmp.Equal(sm.buf, acts, cmpopts.EquateEmpty()) {
		t.Fatalf("AppendActionsRequired into a reused buffer: %+v, want %+v", sm.buf, acts)
	}
	checkSetJSON(t, sm.s)
}

// q3Less is Q3's order written plainly: priority, then due date (none
// last), then field.
func q3Less(a, b requirements.Action) bool {
	if a.Priority != b.Priority {
		return a.Priority < b.Priority
	}
	if a.DueDate.IsZero() != b.DueDate.IsZero() {
		return !a.DueDate.IsZero()
	}
	if !a.DueDate.Equal(b.DueDate) {
		return a.DueDate.Before(b.DueDate)
	}
	return a.Field < b.Field
}

func TestSet_Q2_Q3_Q7_StateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sm := &machine{}
		sm.init(t)
		t.Repeat(map[string]func(*rapid.T){
			"":                      sm.Check,
			"Tick":                  sm.Tick,
			"Submit":                sm.Submit,
			"VerificationSucceeded": sm.VerificationSucceeded,
			"VerificationFailed":    sm.VerificationFailed,
		})
	})
}
