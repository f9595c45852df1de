package requirements_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// The plain model: a map from (hash, field) to status, two deadlines and a
// fixed capability impact per field. It is written from the rules, apart
// from the production code.

type mkey struct {
	future bool
	field  string
}

type model struct {
	st     map[mkey]requirements.Status
	dl     [2]time.Time // [0] current hash, [1] future hash
	impact map[string][]requirements.Capability
}

func hi(future bool) int {
	if future {
		return 1
	}
	return 0
}

func rank(s requirements.Status) int {
	return map[requirements.Status]int{requirements.EventuallyDue: 1, requirements.PendingVerification: 2, requirements.CurrentlyDue: 3, requirements.PastDue: 4}[s]
}

func isDue(s requirements.Status) bool {
	return s == requirements.CurrentlyDue || s == requirements.EventuallyDue || s == requirements.PastDue
}

func (m *model) clone() *model {
	c := &model{st: map[mkey]requirements.Status{}, dl: m.dl, impact: m.impact}
	for k, v := range m.st {
		c.st[k] = v
	}
	return c
}

func arrived(dl, now time.Time) bool { return !dl.IsZero() && !now.Before(dl) }

func (m *model) advance(now time.Time) {
	hasFuture := false
	for k := range m.st {
		if k.future {
			hasFuture = true
		}
	}
	if hasFuture && arrived(m.dl[1], now) {
		mainCurrentlyDue := false
		for k, v := range m.st {
			if !k.future && v == requirements.CurrentlyDue {
				mainCurrentlyDue = true
			}
		}
		if m.dl[0].IsZero() && !mainCurrentlyDue {
			m.dl[0] = m.dl[1]
		}
		for k, v := range m.st {
			if !k.future {
				continue
			}
			delete(m.st, k)
			mk := mkey{false, k.field}
			if old, ok := m.st[mk]; !ok || rank(v) > rank(old) {
				m.st[mk] = v
			}
		}
		m.dl[1] = time.Time{}
	}
	if arrived(m.dl[0], now) {
		for k, v := range m.st {
			if !k.future && v == requirements.CurrentlyDue {
				m.st[k] = requirements.PastDue
			}
		}
	}
}

// transition returns the new model, or which sentinel the set must return.
func (m *model) transition(op, field string, now time.Time) (*model, error) {
	c := m.clone()
	c.advance(now)
	var keys []mkey
	for _, f := range []bool{false, true} {
		if _, ok := c.st[mkey{f, field}]; ok {
			keys = append(keys, mkey{f, field})
		}
	}
	if len(keys) == 0 {
		return nil, requirements.ErrUnknownField
	}
	hit := false
	for _, k := range keys {
		s := c.st[k]
		switch {
		case op == "submit" && isDue(s):
			c.st[k] = requirements.PendingVerification
		case op == "ok" && s == requirements.PendingVerification:
			delete(c.st, k)
		case op == "fail" && s == requirements.PendingVerification:
			c.st[k] = requirements.CurrentlyDue
			if arrived(c.dl[hi(k.future)], now) {
				c.st[k] = requirements.PastDue
			}
		default:
			continue
		}
		hit = true
	}
	if !hit {
		return nil, requirements.ErrIllegalTransition
	}
	return c, nil
}

var (
	pool  = []string{"external_account", "individual.dob.day", "company.tax_id", "tos_acceptance.date", "individual.id_number"}
	caps  = []requirements.Capability{requirements.CardPayments, requirements.Transfers, requirements.Treasury}
	clock [10]time.Time
)

func init() {
	for i := range clock {
		clock[i] = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
	}
}

type machine struct {
	set   requirements.Set
	m     *model
	now   time.Time                     // the last instant used, for the Check views
	extra [2]map[string]json.RawMessage // the unknown v1 members decoded at init
}

func (sm *machine) init(t *rapid.T) {
	sm.m = &model{st: map[mkey]requirements.Status{}, impact: map[string][]requirements.Capability{}}
	// Start from a decoded payload whose hashes carry unknown members: no
	// transition may change them (Q1).
	sm.set = withExtra(t, `{"disabled_reason":null`+drawExtraMembers(t, "extra")+`}`,
		`{"disabled_reason":null`+drawExtraMembers(t, "future_extra")+`}`)
	sm.extra = [2]map[string]json.RawMessage{sm.set.V1Extra(false), sm.set.V1Extra(true)}
	statuses := []requirements.Status{requirements.CurrentlyDue, requirements.EventuallyDue, requirements.PastDue, requirements.PendingVerification}
	dlGen := rapid.SampledFrom([]int{-1, 2, 4, 6, 8})
	for i, name := range []string{"current_deadline", "future_deadline"} {
		if k := dlGen.Draw(t, name); k >= 0 {
			sm.m.dl[i] = clock[k]
			if err := sm.set.SetDeadline(i == 1, clock[k]); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range pool {
		c := rapid.SliceOfNDistinct(rapid.SampledFrom(caps), 0, 2, func(c requirements.Capability) requirements.Capability { return c }).Draw(t, "caps "+f)
		slices.Sort(c)
		if len(c) > 0 {
			sm.m.impact[f] = c
		}
		for _, future := range []bool{false, true} {
			if !rapid.Bool().Draw(t, "has "+f) {
				continue
			}
			st := rapid.SampledFrom(statuses).Draw(t, "status "+f)
			if err := sm.set.Add(requirements.Entry{Field: f, Status: st, Future: future, Capabilities: c}); err != nil {
				t.Fatal(err)
			}
			sm.m.st[mkey{future, f}] = st
		}
	}
	sm.now = clock[0]
}

func (sm *machine) drawNow(t *rapid.T) time.Time {
	return clock[rapid.IntRange(0, len(clock)-1).Draw(t, "now")]
}

func (sm *machine) Advance(t *rapid.T) {
	now := sm.drawNow(t)
	before := statuses(sm.set)
	sm.set.Advance(now)
	sm.m.advance(now)
	sm.now = now
	// Nothing becomes past due before its deadline (Q2).
	for _, e := range sm.set.Entries() {
		k := e.Field
		if e.Future {
			k = "future:" + k
		}
		if e.Status == requirements.PastDue && before[k] != requirements.PastDue && before["future:"+e.Field] != requirements.PastDue {
			if e.Deadline.IsZero() || now.Before(e.Deadline) {
				t.Fatalf("Q2: %s became past due at %v before its deadline %v", e.Field, now, e.Deadline)
			}
		}
	}
}

func (sm *machine) op(t *rapid.T, op string) {
	field := rapid.SampledFrom(append([]string{"not.held"}, pool...)).Draw(t, "field")
	now := sm.drawNow(t)
	before := sm.set.Clone()
	var err error
	switch op {
	case "submit":
		err = sm.set.Submit(field, now)
	case "ok":
		err = sm.set.VerificationSucceeded(field, now)
	case "fail":
		err = sm.set.VerificationFailed(field, requirements.Error{Code: "verification_failed_other", Reason: "mismatch"}, now)
	}
	next, want := sm.m.transition(op, field, now)
	if want != nil {
		if !errors.Is(err, want) {
			t.Fatalf("%s %s at %v: err = %v, want %v", op, field, now, err, want)
		}
		var te *requirements.TransitionError
		if !errors.As(err, &te) || te.Rule != "Q7" || te.Field != field {
			t.Fatalf("%s: not a Q7 *TransitionError: %v", op, err)
		}
		if !sm.set.Equal(before) {
			t.Fatalf("%s rejected but the set changed:\n%s", op, cmp.Diff(before.Entries(), sm.set.Entries()))
		}
		return
	}
	if err != nil {
		t.Fatalf("%s %s at %v: unexpected %v", op, field, now, err)
	}
	sm.m = next
	sm.now = now
}

func (sm *machine) Submit(t *rapid.T)                { sm.op(t, "submit") }
func (sm *machine) VerificationSucceeded(t *rapid.T) { sm.op(t, "ok") }
func (sm *machine) VerificationFailed(t *rapid.T)    { sm.op(t, "fail") }

func (sm *machine) Check(t *rapid.T) {
	// The set holds exactly the model's entries, each in one status.
	got := map[mkey]requirements.Status{}
	for _, e := range sm.set.Entries() {
		k := mkey{e.Future, e.Field}
		if _, dup := got[k]; dup || !e.Status.Valid() {
			t.Fatalf("entry %v duplicated or invalid", k)
		}
		got[k] = e.Status
		if want := sm.m.dl[hi(e.Future)]; (e.Status == requirements.CurrentlyDue || e.Status == requirements.PastDue) && !e.Deadline.Equal(want) {
			t.Fatalf("%v deadline %v, want %v", k, e.Deadline, want)
		}
	}
	if diff := cmp.Diff(sm.m.st, got, cmp.AllowUnexported(mkey{})); diff != "" {
		t.Fatalf("set vs model (-model +set):\n%s", diff)
	}
	// A capability is disabled iff a past-due requirement affects it.
	wantOff := map[requirements.Capability]bool{}
	for k, s := range sm.m.st {
		if s == requirements.PastDue {
			for _, c := range sm.m.impact[k.field] {
				wantOff[c] = true
			}
		}
	}
	gotOff := map[requirements.Capability]bool{}
	for _, d := range sm.set.DisabledCapabilities() {
		gotOff[d.Capability] = true
	}
	if diff := cmp.Diff(wantOff, gotOff); diff != "" {
		t.Fatalf("disabled capabilities (-model +set):\n%s", diff)
	}
	// Completeness and outstanding tasks (Q9, L12).
	complete, outstanding := true, false
	for k, s := range sm.m.st {
		if isDue(s) {
			outstanding = true
			if !k.future {
				complete = false
			}
		}
	}
	if sm.set.Complete() != complete || sm.set.HasOutstandingTasks() != outstanding {
		t.Fatalf("Complete=%v HasOutstandingTasks=%v, model %v %v", sm.set.Complete(), sm.set.HasOutstandingTasks(), complete, outstanding)
	}
	// Actions required: a total order consistent with Q3, one per due field.
	acts := sm.set.ActionsRequired(sm.now)
	for i := 1; i < len(acts); i++ {
		if q3Less(acts[i], acts[i-1]) || !q3Less(acts[i-1], acts[i]) {
			t.Fatalf("Q3: actions %d and %d out of order: %+v, %+v", i-1, i, acts[i-1], acts[i])
		}
	}
	wantFields := map[string]bool{}
	adv := sm.m.clone()
	adv.advance(sm.now)
	for k, s := range adv.st {
		if isDue(s) {
			wantFields[k.field] = true
		}
	}
	gotFields := map[string]bool{}
	for _, a := range acts {
		if gotFields[a.Field] {
			t.Fatalf("Q3: %s listed twice", a.Field)
		}
		gotFields[a.Field] = true
	}
	if diff := cmp.Diff(wantFields, gotFields); diff != "" {
		t.Fatalf("actions fields (-model +set):\n%s", diff)
	}
	// The unknown v1 members are as decoded (Q1).
	if diff := cmp.Diff(sm.extra, [2]map[string]json.RawMessage{sm.set.V1Extra(false), sm.set.V1Extra(true)}); diff != "" {
		t.Fatalf("unknown v1 members changed (-init +now):\n%s", diff)
	}
	// Encode → decode is the identity.
	data, err := requirements.EncodeV1(sm.set)
	if err != nil {
		t.Fatal(err)
	}
	back, err := requirements.DecodeV1(data, sm.set.Impact())
	if err != nil {
		t.Fatalf("decode of own encoding: %v\n%s", err, data)
	}
	if !back.Equal(sm.set) {
		t.Fatalf("encode→decode changed the set:\n%s", cmp.Diff(sm.set.Entries(), back.Entries()))
	}
	// So is the lossless JSON encoding.
	roundTrip(t, sm.set)
}

// q3Less is Q3's order written from the rule: category, then earliest due
// date (none last), then field, then current before future.
func q3Less(a, b requirements.Action) bool {
	cat := func(a requirements.Action) int {
		switch {
		case a.Kind == requirements.InformationRequest:
			return 0
		case a.Status == requirements.PastDue:
			return 1
		case a.Future:
			return 3
		case a.Status == requirements.CurrentlyDue:
			return 2
		}
		return 4
	}
	if cat(a) != cat(b) {
		return cat(a) < cat(b)
	}
	if !a.DueDate.Equal(b.DueDate) {
		if a.DueDate.IsZero() || b.DueDate.IsZero() {
			return b.DueDate.IsZero()
		}
		return a.DueDate.Before(b.DueDate)
	}
	if a.Field != b.Field {
		return strings.Compare(a.Field, b.Field) < 0
	}
	return !a.Future && b.Future
}

func TestSet_Q2_Q3_Q7_StateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sm := &machine{}
		sm.init(t)
		t.Repeat(rapid.StateMachineActions(sm))
	})
}
