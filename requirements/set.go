package requirements

import (
	"slices"
	"time"
)

// Set is one account's requirements: the entries of Stripe's `requirements`
// and `future_requirements` hashes, each hash's current deadline and
// disabled reason, and the lifecycle transitions of Q2 and Q7.
//
// A field appears at most once per hash; it may appear in both (a current
// requirement and a future one). Each entry has exactly one status.
//
// The zero Set is empty and valid: no requirements, onboarding complete.
// A Set is a value that owns slices: copy it with Clone, which shares no
// mutable memory. Methods with a pointer receiver mutate; a Set is not safe
// for concurrent use while it is being mutated, and safe for concurrent
// reads otherwise.
type Set struct {
	// entries sorted by (Future, Field); Deadline is kept zero here and
	// filled in from the hash when an entry is handed out.
	entries []Entry
	main    hash
	future  hash
}

// hash is the per-hash state Stripe's v1 shape carries besides its lists.
type hash struct {
	deadline time.Time
	// reason is the disabled_reason Stripe gave, kept verbatim, except
	// requirements.past_due, which is derived from the entries, and
	// requirements.pending_verification, kept only while entries of the
	// hash are pending verification and none is past due.
	reason DisabledReason
	// extra are the hash's unknown v1 members, sorted by name, values in
	// canonical form. Only decoding sets them; no transition changes them.
	extra []member
}

// NewSet returns a Set holding entries, validated as by Add. On error it
// returns the zero Set.
func NewSet(entries ...Entry) (Set, error) {
	var s Set
	for _, e := range entries {
		if err := s.Add(e); err != nil {
			return Set{}, err
		}
	}
	return s, nil
}

// Add validates e and adds a copy of it. It returns an *InvalidError
// (ErrInvalid) if e is invalid, if the set already holds e.Field in the same
// hash, or if e.Deadline differs from the deadline other currently due or
// past due entries of its hash already carry. A zero Deadline on a
// currently due or past due entry means "the hash's deadline, if any". On
// error the set is unchanged.
func (s *Set) Add(e Entry) error {
	n, err := e.normalized()
	if err != nil {
		return err
	}
	h := s.hashOf(n.Future)
	if !n.Deadline.IsZero() && !h.deadline.IsZero() && !n.Deadline.Equal(h.deadline) {
		return invalid("deadline", n.Deadline.String(), "the hash already has deadline "+h.deadline.UTC().Format(time.RFC3339))
	}
	i, found := s.search(n.Future, n.Field)
	if found {
		return invalid("entry", n.Field, "field already held in this hash")
	}
	if !n.Deadline.IsZero() {
		h.deadline = n.Deadline
	}
	n.Deadline = time.Time{}
	s.entries = slices.Insert(s.entries, i, n)
	s.normalize()
	return nil
}

// Clone returns a deep copy of s that shares no mutable memory with it.
func (s Set) Clone() Set {
	c := s
	c.main.extra = slices.Clone(s.main.extra)
	c.future.extra = slices.Clone(s.future.extra)
	if s.entries != nil {
		c.entries = make([]Entry, len(s.entries))
		for i, e := range s.entries {
			c.entries[i] = e.clone()
		}
	}
	return c
}

// Len returns the number of entries (both hashes).
func (s Set) Len() int { return len(s.entries) }

// Entries returns copies of all entries, current ones first, each group
// sorted by field, with Deadline filled in from the entry's hash.
func (s Set) Entries() []Entry {
	if len(s.entries) == 0 {
		return nil
	}
	out := make([]Entry, len(s.entries))
	for i, e := range s.entries {
		out[i] = s.view(e).clone()
	}
	return out
}

// Lookup returns a copy of the entry for field in the current hash, or in
// the future hash when future is true.
func (s Set) Lookup(field string, future bool) (Entry, bool) {
	i, ok := s.search(future, field)
	if !ok {
		return Entry{}, false
	}
	return s.view(s.entries[i]).clone(), true
}

// CurrentDeadline returns the `requirements.current_deadline`, or the zero
// Time if there is none.
func (s Set) CurrentDeadline() time.Time { return s.main.deadline }

// FutureDeadline returns the `future_requirements.current_deadline`, or the
// zero Time if there is none.
func (s Set) FutureDeadline() time.Time { return s.future.deadline }

// SetDeadline sets the current deadline of the current hash, or of the
// future hash when future is true, as Stripe does when it changes
// `current_deadline`. The zero Time removes the deadline. It returns an
// *InvalidError for a deadline that is not a whole second in 1970–9999. It
// does not advance the set: call Advance to apply a deadline that has
// already arrived.
func (s *Set) SetDeadline(future bool, t time.Time) error {
	if !t.IsZero() {
		if err := validDeadline(t); err != nil {
			return err
		}
		t = t.UTC()
	}
	s.hashOf(future).deadline = t
	return nil
}

// view returns e with its hash's deadline filled in (shares e's slices).
func (s Set) view(e Entry) Entry {
	if e.Status == CurrentlyDue || e.Status == PastDue {
		e.Deadline = s.hashState(e.Future).deadline
	}
	return e
}

func (s *Set) hashOf(future bool) *hash {
	if future {
		return &s.future
	}
	return &s.main
}

// search finds (future, field) in the sorted entries.
func (s Set) search(future bool, field string) (int, bool) {
	return slices.BinarySearchFunc(s.entries, field, func(e Entry, f string) int {
		return compareKey(e.Future, e.Field, future, f)
	})
}

// Advance brings the set to now (Q2). A currently due entry whose hash
// deadline has arrived (deadline ≤ now) becomes past due, which disables
// the capabilities it affects. When the future deadline arrives, the future
// entries move to the current hash, as Stripe moves them: a field already
// held there keeps its most severe status; a moved currently due entry is
// then subject to the current deadline (if the current hash has none and
// holds nothing currently due, it takes the future deadline, so it is past
// due at once).
//
// Advance is idempotent and monotone: advancing twice to the same instant
// equals advancing once, and advancing to an earlier instant changes
// nothing. It does not allocate unless future entries move.
func (s *Set) Advance(now time.Time) {
	if !s.future.deadline.IsZero() && !now.Before(s.future.deadline) && s.hasFuture() {
		s.promoteFuture()
	}
	if !s.main.deadline.IsZero() && !now.Before(s.main.deadline) {
		for i := range s.entries {
			if e := &s.entries[i]; !e.Future && e.Status == CurrentlyDue {
				e.Status = PastDue
			}
		}
	}
	s.normalize()
}

// stale reports whether Advance(now) would change s.
func (s Set) stale(now time.Time) bool {
	if !s.future.deadline.IsZero() && !now.Before(s.future.deadline) && s.hasFuture() {
		return true
	}
	if !s.main.deadline.IsZero() && !now.Before(s.main.deadline) {
		for _, e := range s.entries {
			if !e.Future && e.Status == CurrentlyDue {
				return true
			}
		}
	}
	return false
}

func (s Set) hasFuture() bool {
	return len(s.entries) > 0 && s.entries[len(s.entries)-1].Future
}

// promoteFuture moves every future entry to the current hash.
func (s *Set) promoteFuture() {
	nMain, _ := slices.BinarySearchFunc(s.entries, true, func(e Entry, _ bool) int {
		if e.Future {
			return 0
		}
		return -1
	})
	mainHasCurrentlyDue := false
	for _, e := range s.entries[:nMain] {
		if e.Status == CurrentlyDue {
			mainHasCurrentlyDue = true
			break
		}
	}
	if s.main.deadline.IsZero() && !mainHasCurrentlyDue {
		s.main.deadline = s.future.deadline
	}
	if s.main.reason == "" && s.future.reason != ReasonRequirementsPendingVerification {
		s.main.reason = s.future.reason
	}
	main := s.entries[:nMain]
	keep := nMain
	for i := nMain; i < len(s.entries); i++ {
		f := s.entries[i]
		f.Future = false
		f.RequestedReasons = slices.DeleteFunc(f.RequestedReasons, func(r RequestedReason) bool { return r == ReasonFutureRequirements })
		if len(f.RequestedReasons) == 0 {
			f.RequestedReasons = nil
		}
		if j, ok := slices.BinarySearchFunc(main, f.Field, func(e Entry, fld string) int { return compareKey(e.Future, e.Field, false, fld) }); ok {
			mergeInto(&s.entries[j], f)
			continue
		}
		s.entries[keep] = f
		keep++
	}
	clear(s.entries[keep:])
	s.entries = s.entries[:keep]
	slices.SortFunc(s.entries, compareEntries)
	s.future = hash{extra: s.future.extra}
}

// mergeInto folds f into m: the most severe status wins and the lists are
// united.
func mergeInto(m *Entry, f Entry) {
	if f.Status.severity() > m.Status.severity() {
		m.Status = f.Status
	}
	m.Capabilities = append(m.Capabilities, f.Capabilities...)
	slices.Sort(m.Capabilities)
	m.Capabilities = slices.Compact(m.Capabilities)
	for _, e := range f.Errors {
		if !slices.Contains(m.Errors, e) {
			m.Errors = append(m.Errors, e)
		}
	}
	m.Alternatives = append(m.Alternatives, f.Alternatives...)
	slices.SortFunc(m.Alternatives, slices.Compare)
	m.Alternatives = slices.CompactFunc(m.Alternatives, slices.Equal)
	m.RequestedReasons = append(m.RequestedReasons, f.RequestedReasons...)
	slices.Sort(m.RequestedReasons)
	m.RequestedReasons = slices.Compact(m.RequestedReasons)
}

// normalize keeps the stored disabled reasons canonical (see hash.reason).
func (s *Set) normalize() {
	for _, future := range [2]bool{false, true} {
		h := s.hashOf(future)
		switch h.reason {
		case ReasonRequirementsPastDue:
			h.reason = ""
		case ReasonRequirementsPendingVerification:
			if s.count(future, PastDue) > 0 || s.count(future, PendingVerification) == 0 {
				h.reason = ""
			}
		}
	}
}

// count returns the number of entries of the hash with status st.
func (s Set) count(future bool, st Status) int {
	n := 0
	for _, e := range s.entries {
		if e.Future == future && e.Status == st {
			n++
		}
	}
	return n
}

// Submit records that field has been provided (Q7): every due entry for it
// (current and future) becomes pending verification and loses its errors.
// The set is first advanced to now. It returns a *TransitionError wrapping
// ErrUnknownField if the set holds no entry for field, or
// ErrIllegalTransition if none of its entries is due. On error the set is
// unchanged.
func (s *Set) Submit(field string, now time.Time) error {
	return s.transition("submit", field, nil, now, Status.Due, func(e *Entry) bool {
		e.Status = PendingVerification
		e.Errors = nil
		return true
	})
}

// VerificationSucceeded records that Stripe verified field (Q7): every
// entry for it that is pending verification is cleared (removed). The set
// is first advanced to now. Errors are as for Submit; it is illegal unless
// an entry for field is pending verification.
func (s *Set) VerificationSucceeded(field string, now time.Time) error {
	return s.transition("verification_succeeded", field, nil, now, isPending, func(*Entry) bool {
		return false
	})
}

// VerificationFailed records that Stripe's review of field failed (Q7):
// every entry for it that is pending verification is due again, currently
// due with e as its only error, or past due at once if its hash deadline
// has arrived (Q2). The set is first advanced to now. It returns an
// *InvalidError if e is invalid; otherwise errors are as for
// VerificationSucceeded. On error the set is unchanged.
func (s *Set) VerificationFailed(field string, e Error, now time.Time) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.transition("verification_failed", field, &e, now, isPending, nil)
}

func isPending(st Status) bool { return st == PendingVerification }

// transition applies op to every entry for field whose status is legal.
// apply returns false to remove the entry. A nil apply with a non-nil fail
// means "due again with *fail".
func (s *Set) transition(op, field string, fail *Error, now time.Time, legal func(Status) bool, apply func(*Entry) bool) error {
	if !ValidField(field) {
		return invalid("field", field, "empty, too long or not printable")
	}
	t := s.Clone()
	t.Advance(now)
	iMain, okMain := t.search(false, field)
	iFut, okFut := t.search(true, field)
	if !okMain && !okFut {
		return &TransitionError{Op: op, Rule: "Q7", Field: field, Err: ErrUnknownField}
	}
	hit := false
	var from Status
	var drop [2]int
	nDrop := 0
	for _, p := range [2]struct {
		i  int
		ok bool
	}{{iMain, okMain}, {iFut, okFut}} {
		if !p.ok {
			continue
		}
		e := &t.entries[p.i]
		if from == "" {
			from = e.Status
		}
		if !legal(e.Status) {
			continue
		}
		hit = true
		if fail != nil {
			e.Status = CurrentlyDue
			e.Errors = []Error{*fail}
			if d := t.hashOf(e.Future).deadline; !d.IsZero() && !now.Before(d) {
				e.Status = PastDue
			}
			continue
		}
		if !apply(e) {
			drop[nDrop] = p.i
			nDrop++
		}
	}
	if !hit {
		return &TransitionError{Op: op, Rule: "Q7", Field: field, From: from, Err: ErrIllegalTransition}
	}
	for k := nDrop - 1; k >= 0; k-- {
		t.entries = slices.Delete(t.entries, drop[k], drop[k]+1)
	}
	if len(t.entries) == 0 {
		t.entries = nil
	}
	t.normalize()
	*s = t
	return nil
}
