package requirements

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestPriorityAt_Q3_AsStatusesSay checks priorityAt, which reads the lists
// as bits and now as an instant, against Q3's rule written with the
// statuses and time.Time: the primary status (pending verification
// counting as eventually due), currently due turned past due once its due
// date has arrived, then information requests, past due, future hashes,
// currently due, eventually due.
func TestPriorityAt_Q3_AsStatusesSay(t *testing.T) {
	ref := func(h *source, e *entry, due, now time.Time) (Priority, Status) {
		if !e.lists.Due() {
			return 0, ""
		}
		st := e.lists.Primary()
		if st == PendingVerification {
			st = EventuallyDue
		}
		if e.lists.Has(CurrentlyDue) && !e.lists.Has(PastDue) && arrived(due, now) {
			st = PastDue
		}
		switch {
		case e.kind == InformationRequest:
			return PriorityInformationRequest, st
		case st == PastDue:
			return PriorityPastDue, st
		case h.key.Future:
			return PriorityFutureRequirement, st
		case st == CurrentlyDue:
			return PriorityCurrentlyDue, st
		}
		return PriorityEventuallyDue, st
	}
	base := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		h := &source{key: Source{Future: rapid.Bool().Draw(t, "future")}}
		e := &entry{lists: Lists(rapid.IntRange(0, 15).Draw(t, "lists")), kind: rapid.SampledFrom([]Kind{Requirement, InformationRequest}).Draw(t, "kind")}
		var due time.Time
		if rapid.Bool().Draw(t, "has_due") {
			due = base.Add(time.Duration(rapid.Int64Range(-3, 3).Draw(t, "due_ns")))
		}
		now := base.Add(time.Duration(rapid.Int64Range(-3, 3).Draw(t, "now_ns")))
		gp, gs := priorityAt(h, e, due, instantOf(now))
		wp, ws := ref(h, e, due, now)
		if gp != wp || gs != ws {
			t.Fatalf("priorityAt(%v, %+v, due %v, now %v) = %v, %q; want %v, %q", h.key, e, due, now, gp, gs, wp, ws)
		}
	})
}
