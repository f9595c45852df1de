package requirementstest_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/requirements/requirementstest"
	"pgregory.net/rapid"
)

// genDraws bounds the coverage tests: every value must appear among the
// examples of the first genDraws seeds (deterministic, so no flakes).
const genDraws = 500

var now = requirementstest.DefaultNow()

// checkReachable fails t unless s is a set the library accepts and could
// have reached by advancing to now.
func checkReachable(t interface{ Fatalf(string, ...any) }, s requirements.Set, now time.Time) {
	if _, err := requirements.NewSet(s.Entries()...); err != nil {
		t.Fatalf("NewSet refuses the entries of a generated set: %v", err)
	}
	b, err := requirements.EncodeV1(s)
	if err != nil {
		t.Fatalf("EncodeV1: %v", err)
	}
	if _, err := requirements.DecodeV1(b, s.Impact()); err != nil {
		t.Fatalf("DecodeV1(EncodeV1(s)): %v", err)
	}
	j, err := s.MarshalJSON()
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	var back requirements.Set
	if err := back.UnmarshalJSON(j); err != nil || !back.Equal(s) {
		t.Fatalf("the lossless encoding does not read back Equal: %v", err)
	}
	for _, e := range s.Entries() {
		if e.StatusAt(now) == requirements.PastDue && !e.Lists.Has(requirements.PastDue) && (e.Deadline.IsZero() || e.Deadline.After(now)) {
			t.Fatalf("%s is past due at %v with deadline %v (Q2)", e.Field, now, e.Deadline)
		}
	}
}

func TestSet_ReachableAndAccepted(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := requirementstest.DrawSet(t, "reqs", requirementstest.SetOptions{})
		checkReachable(t, s, now)
		_ = s.ActionsRequiredWith(now, requirements.ActionOptions{PlatformCollects: true})
	})
}

func TestSet_BiasesHold(t *testing.T) {
	hasStatus := func(s requirements.Set, st requirements.Status) bool {
		for _, e := range s.Entries() {
			if !e.Future && e.StatusAt(now) == st {
				return true
			}
		}
		return false
	}
	some := func(s requirements.Set, f func(requirements.Entry) bool) bool {
		for _, e := range s.Entries() {
			if f(e) {
				return true
			}
		}
		return false
	}
	isFuture := func(e requirements.Entry) bool { return e.Future }
	isInfo := func(e requirements.Entry) bool { return e.Kind == requirements.InformationRequest }
	cases := []struct {
		name string
		opts requirementstest.SetOptions
		ok   func(requirements.Set) bool
	}{
		{"complete", requirementstest.SetOptions{Complete: requirementstest.Always}, requirements.Set.Complete},
		{"incomplete", requirementstest.SetOptions{Complete: requirementstest.Never},
			func(s requirements.Set) bool { return !s.Complete() }},
		{"no deadline", requirementstest.SetOptions{Deadline: requirementstest.DeadlineNone},
			func(s requirements.Set) bool { return s.CurrentDeadline().IsZero() }},
		{"deadline passed", requirementstest.SetOptions{Deadline: requirementstest.DeadlinePassed},
			func(s requirements.Set) bool {
				return !s.CurrentDeadline().After(now) && hasStatus(s, requirements.PastDue)
			}},
		{"deadline within the hour", requirementstest.SetOptions{Deadline: requirementstest.DeadlineUpcoming, Within: time.Hour},
			func(s requirements.Set) bool {
				d := s.CurrentDeadline()
				return d.After(now) && !d.After(now.Add(time.Hour)) && hasStatus(s, requirements.CurrentlyDue)
			}},
		{"future", requirementstest.SetOptions{Future: requirementstest.Always},
			func(s requirements.Set) bool { return some(s, isFuture) }},
		{"no future", requirementstest.SetOptions{Future: requirementstest.Never},
			func(s requirements.Set) bool { return !some(s, isFuture) }},
		{"information request", requirementstest.SetOptions{InformationRequests: requirementstest.Always},
			func(s requirements.Set) bool { return some(s, isInfo) }},
		{"no information request", requirementstest.SetOptions{InformationRequests: requirementstest.Never},
			func(s requirements.Set) bool { return !some(s, isInfo) }},
		{"everything at once", requirementstest.SetOptions{Complete: requirementstest.Never,
			Future: requirementstest.Always, InformationRequests: requirementstest.Always, Deadline: requirementstest.DeadlineUpcoming},
			func(s requirements.Set) bool { return !s.Complete() && some(s, isFuture) && some(s, isInfo) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := requirementstest.Set(c.opts)
			for i := 0; i < 100; i++ {
				s := g.Example(i)
				checkReachable(t, s, now)
				if !c.ok(s) {
					t.Fatalf("example %d does not satisfy the bias: %+v", i, s.Entries())
				}
			}
		})
	}
}

func TestSet_CoversStatusesKindsAndPriorities(t *testing.T) {
	statuses := map[requirements.Status]bool{}
	kinds := map[requirements.Kind]bool{}
	future := map[bool]bool{}
	priorities := map[requirements.Priority]bool{}
	withErrors, complete, incomplete := false, false, false
	g := requirementstest.Set(requirementstest.SetOptions{})
	for i := 0; i < genDraws; i++ {
		s := g.Example(i)
		for _, e := range s.Entries() {
			statuses[e.StatusAt(now)], kinds[e.Kind], future[e.Future] = true, true, true
			withErrors = withErrors || len(e.Errors) > 0
		}
		for _, a := range s.ActionsRequired(now) {
			priorities[a.Priority] = true
		}
		complete, incomplete = complete || s.Complete(), incomplete || !s.Complete()
	}
	for _, st := range []requirements.Status{requirements.CurrentlyDue, requirements.EventuallyDue, requirements.PastDue, requirements.PendingVerification} {
		if !statuses[st] {
			t.Errorf("no %s entry in %d sets", st, genDraws)
		}
	}
	if !kinds[requirements.Requirement] || !kinds[requirements.InformationRequest] {
		t.Errorf("kinds seen: %v", kinds)
	}
	if !future[true] || !future[false] {
		t.Errorf("future seen: %v", future)
	}
	for p := requirements.PriorityInformationRequest; p <= requirements.PriorityEventuallyDue; p++ {
		if !priorities[p] {
			t.Errorf("no %v action in %d sets", p, genDraws)
		}
	}
	if !withErrors || !complete || !incomplete {
		t.Errorf("errors %v, complete %v, incomplete %v", withErrors, complete, incomplete)
	}
}

func TestSet_ContradictoryOptionsPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Complete: Always with a passed deadline did not panic")
		}
	}()
	requirementstest.Set(requirementstest.SetOptions{Complete: requirementstest.Always, Deadline: requirementstest.DeadlinePassed})
}

func TestEntry_AcceptedAndCoversStatuses(t *testing.T) {
	seen := map[requirements.Status]bool{}
	g := requirementstest.Entry(requirementstest.EntryOptions{})
	for i := 0; i < genDraws; i++ {
		e := g.Example(i)
		if _, err := requirements.NewSet(e); err != nil {
			t.Fatalf("NewSet(%+v): %v", e, err)
		}
		seen[e.Status] = true
	}
	if len(seen) != 4 {
		t.Errorf("statuses seen: %v", seen)
	}
}

func ExampleSet() {
	// Sets with a requirement due within the next hour: a policy that
	// alerts an account manager can be checked against every one of them.
	g := requirementstest.Set(requirementstest.SetOptions{
		Deadline: requirementstest.DeadlineUpcoming,
		Within:   time.Hour,
	})
	s := g.Example(3)
	left := s.CurrentDeadline().Sub(requirementstest.DefaultNow())
	fmt.Println(left > 0 && left <= time.Hour, s.Complete())
	// Output: true false
}

// The payload generators draw what the issue lists: overlapping lists, a
// field pending and due at once, fields only in alternatives or only in
// errors, capabilities with their own deadlines, unknown members, v2
// entries awaiting Stripe.
func TestPayloads_CoverStripesShapes(t *testing.T) {
	want := map[string]bool{
		`"pending_verification":["`: false, `"alternative_only.field"`: false, `"error_only.field"`: false,
		`"object":"capability"`: false, `"object":"list"`: false, `"x_new_member_0"`: false, `"hint"`: false,
		`"awaiting_action_from":"stripe"`: false, `"restricts_capabilities":[{`: false, `"minimum_transition_date"`: false,
		`"current_deadline":null`: false,
	}
	v1, v2 := requirementstest.V1Payload(), requirementstest.V2Payload()
	perCapDeadlines, dueAndPending := false, false
	for i := 0; i < genDraws; i++ {
		for _, p := range [][]byte{v1.Example(i), v2.Example(i)} {
			for k := range want {
				want[k] = want[k] || strings.Contains(string(p), k)
			}
		}
		if s, err := requirements.DecodeV1(v1.Example(i), nil); err == nil {
			deadlines := map[int64]bool{}
			for _, src := range s.Sources() {
				if h, _ := s.Hash(src); src.Capability != "" && !h.Deadline.IsZero() {
					deadlines[h.Deadline.Unix()] = true
				}
			}
			perCapDeadlines = perCapDeadlines || len(deadlines) > 1
			for _, e := range s.Entries() {
				dueAndPending = dueAndPending || (e.Lists.Due() && e.Lists.Has(requirements.PendingVerification))
			}
		} else {
			t.Fatalf("DecodeV1 refuses a generated payload: %v", err)
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("no payload holds %s in %d draws", k, genDraws)
		}
	}
	if !perCapDeadlines || !dueAndPending {
		t.Errorf("per-capability deadlines %v, due and pending at once %v", perCapDeadlines, dueAndPending)
	}
}
