package requirements

import (
	"iter"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Priority is the category an action falls in on the Dashboard's "Actions
// required" list (Q3), in the list's order. The zero Priority is invalid.
type Priority uint8

// The categories of Q3, highest priority first.
const (
	// PriorityInformationRequest is an information request from Stripe.
	PriorityInformationRequest Priority = iota + 1
	// PriorityPastDue is a requirement in past_due.
	PriorityPastDue
	// PriorityCurrentlyDue is a requirement in currently_due.
	PriorityCurrentlyDue
	// PriorityFutureRequirement is an entry of future_requirements.
	PriorityFutureRequirement
	// PriorityEventuallyDue is a requirement in eventually_due.
	PriorityEventuallyDue
)

// Code returns a stable snake_case code.
func (p Priority) Code() string {
	switch p {
	case PriorityInformationRequest:
		return "information_request"
	case PriorityPastDue:
		return "past_due"
	case PriorityCurrentlyDue:
		return "currently_due"
	case PriorityFutureRequirement:
		return "future_requirement"
	case PriorityEventuallyDue:
		return "eventually_due"
	}
	return "priority(" + itoa(int(p)) + ")"
}

// Label returns the Dashboard's issue status for the category: "Various",
// "Past due", "Currently due", "Future requirement", "Due later".
func (p Priority) Label() string {
	switch p {
	case PriorityInformationRequest:
		return "Various"
	case PriorityPastDue:
		return "Past due"
	case PriorityCurrentlyDue:
		return "Currently due"
	case PriorityFutureRequirement:
		return "Future requirement"
	case PriorityEventuallyDue:
		return "Due later"
	}
	return p.Code()
}

// String returns Code.
func (p Priority) String() string { return p.Code() }

// Rule returns "Q3".
func (Priority) Rule() string { return "Q3" }

// Path is a remediation path for an action (Q6). The zero Path is invalid.
type Path uint8

// The remediation paths the Dashboard offers.
const (
	// PathSubmit is submitting the information on the account's behalf.
	PathSubmit Path = iota + 1
	// PathRemediationLink is sending the account a remediation link (the
	// links package decides whether one can be generated, L8).
	PathRemediationLink
	// PathContactSupport is contacting Stripe Support.
	PathContactSupport
)

// Code returns a stable snake_case code.
func (p Path) Code() string {
	switch p {
	case PathSubmit:
		return "submit_information"
	case PathRemediationLink:
		return "send_remediation_link"
	case PathContactSupport:
		return "contact_support"
	}
	return "path(" + itoa(int(p)) + ")"
}

// String returns a sentence describing the path.
func (p Path) String() string {
	switch p {
	case PathSubmit:
		return "submit the information on the account's behalf"
	case PathRemediationLink:
		return "send the account a remediation link"
	case PathContactSupport:
		return "contact Stripe Support"
	}
	return p.Code()
}

// Rule returns "Q6".
func (Path) Rule() string { return "Q6" }

// Paths is a set of remediation paths, as a bitset so that building the
// Actions required list does not allocate per action. The zero Paths is
// empty.
type Paths uint8

// PathsOf returns the set holding ps.
func PathsOf(ps ...Path) Paths {
	var s Paths
	for _, p := range ps {
		s = s.With(p)
	}
	return s
}

// With returns s with p added; an invalid p is ignored.
func (s Paths) With(p Path) Paths {
	if p < PathSubmit || p > PathContactSupport {
		return s
	}
	return s | 1<<(p-1)
}

// Has reports whether s holds p.
func (s Paths) Has(p Path) bool {
	return p >= PathSubmit && p <= PathContactSupport && s&(1<<(p-1)) != 0
}

// Len returns the number of paths in s.
func (s Paths) Len() int { return bits.OnesCount8(uint8(s)) }

// All yields the paths of s in order.
func (s Paths) All() iter.Seq[Path] {
	return func(yield func(Path) bool) {
		for p := PathSubmit; p <= PathContactSupport; p++ {
			if s.Has(p) && !yield(p) {
				return
			}
		}
	}
}

// String lists the codes, comma-separated.
func (s Paths) String() string {
	var b strings.Builder
	for p := range s.All() {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.Code())
	}
	return b.String()
}

// ActionOptions is the part of an account's configuration that decides
// remediation paths (Q6) and who must act. The requirements package does not
// import package account; account fills this in. The zero value describes
// an account whose requirements Stripe collects. Safe to copy and share.
type ActionOptions struct {
	// PlatformCollects is true when the platform is responsible for
	// requirement collection (A1 `application`): it may then submit
	// information on the account's behalf (A9), and it is the one who must
	// act on due requirements.
	PlatformCollects bool
}

// Action is one entry of the "Actions required" list (Q3, Q4, Q6): one per
// field, over every hash that lists it. Its slices share no memory with
// the Set (actions of one list share backing arrays, each slice with its
// capacity capped, so appending to one does not overwrite another). The
// zero Action is not a listed action. Safe for concurrent reads.
type Action struct {
	// Priority is the list category (Q3), the highest of the hashes
	// listing the field, at the instant asked for.
	Priority Priority
	// Kind is requirement or information request.
	Kind Kind
	// Field is the requirement's field name.
	Field string
	// Status is the field's status at the instant asked for
	// (Entry.StatusAt) in the hash that gives Priority.
	Status Status
	// Future reports that the hash giving Priority is a future one (on a
	// tie, a current hash wins).
	Future bool
	// DueDate is the requirement's own due date (Q4): the earliest due
	// date among the hashes listing it currently or past due; the zero
	// Time means none.
	DueDate time.Time
	// Capabilities are the capabilities the action can affect (Q4).
	Capabilities []Capability
	// Errors are Stripe's errors for the field, over its hashes.
	Errors []Error
	// Remedies are what the errors' codes say fixing them takes.
	Remedies Remedies
	// Paths are the remediation paths available (Q6).
	Paths Paths
	// AwaitingActionFrom is who must act.
	AwaitingActionFrom Actor
}

// ActionsRequired is shorthand for ActionsRequiredWith(now, ActionOptions{}),
// for an account whose requirements Stripe collects.
func (s Set) ActionsRequired(now time.Time) []Action {
	return s.ActionsRequiredWith(now, ActionOptions{})
}

// ActionsRequiredWith returns the Dashboard's "Actions required" list at
// now: one action per field that some hash lists as due (a field only
// pending verification is not listed), in Q3's order — information
// requests, past due, currently due, future requirements, eventually due;
// then the action's own due date, earliest first (none last); then field
// name. A field listed by several hashes (the account's and capabilities',
// current and future) is listed once, under its highest priority, with the
// earliest due date and the union of capabilities and errors. Past due is
// computed at now (Entry.StatusAt): a currently due field whose due date
// has arrived ranks as past due; s itself is not changed.
//
// Remediation paths (Q6), from the entry and opts: an information request
// can be answered by submitting information or by contacting support; a
// requirement by a remediation link, by submitting on the account's behalf
// when the platform collects requirements, and by contacting support when
// it carries errors (a failed review; Remedies say what the codes ask).
// Who must act: the platform for information requests and when it
// collects requirements; Stripe when every v2 entry for the field says it
// awaits Stripe; otherwise the account.
//
// It is linear in the number of entries for a fixed number of hashes (a
// k-way merge of the hashes' sorted entries, then a counting sort by
// priority and due date), and returns nil when nothing is required.
func (s Set) ActionsRequiredWith(now time.Time, opts ActionOptions) []Action {
	out := s.AppendActionsRequired(nil, now, opts)
	if len(out) == 0 {
		return nil
	}
	return out
}

// AppendActionsRequired appends the list ActionsRequiredWith(now, opts)
// returns to dst and returns the extended slice, as append does: a caller
// listing actions for many accounts can reuse one buffer (dst[:0]), and
// allocate a list only when one outgrows it. The actions' Capabilities
// and Errors are made afresh on every call, so actions kept from an
// earlier call share nothing with later ones.
func (s Set) AppendActionsRequired(dst []Action, now time.Time, opts ActionOptions) []Action {
	k := len(s.sources)
	if k == 0 {
		return dst
	}
	// Each hash's errors by requirement, in field order: the walk below
	// visits every hash's entries in field order too, so it finds an
	// entry's errors with a cursor, not a lookup. The capabilities and
	// errors the actions share are counted first, so that each backing
	// array is allocated once.
	nerr, nhashErr, ncap := 0, 0, 0
	for i := range s.sources {
		h := &s.sources[i]
		nhashErr += len(h.errors)
		for j := range h.entries {
			e := &h.entries[j]
			ncap += len(e.caps)
			nerr += len(e.errs)
		}
		if h.key.Capability != "" {
			ncap += len(h.entries)
		}
	}
	var byReqBuf, curBuf [32]int32 // on the stack, for sets that fit
	byReq := zeroed(byReqBuf[:], nhashErr)[:0]
	cur := zeroed(curBuf[:], 2*k) // per hash: its cursor in byReq, then the end of its errors
	ends := cur[k:]
	for i := range s.sources {
		h := &s.sources[i]
		from := len(byReq)
		for n := range h.errors {
			byReq = append(byReq, int32(n))
		}
		slices.SortStableFunc(byReq[from:], func(a, b int32) int {
			return strings.Compare(h.errors[a].requirement, h.errors[b].requirement)
		})
		cur[i], ends[i] = int32(from), int32(len(byReq))
	}
	// Every group holds an entry of some hash, so there are at least as
	// many actions as the largest hash has entries, and usually exactly
	// as many: size out for that.
	most := 0
	for i := range s.sources {
		most = max(most, len(s.sources[i].entries))
	}
	base := len(dst)
	out := dst
	fresh := cap(out)-len(out) < most // made here: every slot past len is zero
	if fresh {
		out = slices.Grow(out, most)
		clear(out[len(out):cap(out)]) // Grow copies dst's spare slots too
	}
	caps := make([]Capability, 0, ncap)
	var errs []Error
	if nerr += nhashErr; nerr > 0 {
		errs = make([]Error, 0, nerr)
	}
	// The distinct due dates, a date not among the last few noted
	// (actions come in field order, and neighbours mostly share one of a
	// few dates); sortActions sorts and compacts them.
	var datesBuf [16]int64
	dates := datesBuf[:0]
	at := instantOf(now)
	s.mergeWalk(func(group []ref) {
		// The action is built in its slot of out, zero since made (else
		// cleared): no copy of it.
		if len(out) < cap(out) {
			out = out[:len(out)+1]
			if !fresh {
				out[len(out)-1] = Action{}
			}
		} else {
			out = append(out, Action{})
		}
		a := &out[len(out)-1]
		stripeOnly, awaited := true, false
		for _, r := range group {
			h := &s.sources[r.h]
			e := &h.entries[r.i]
			d := s.dueDate(h, e)
			p, st := priorityAt(h, e, d, at)
			if p == 0 {
				continue
			}
			if a.Priority == 0 || p < a.Priority || (p == a.Priority && a.Future && !h.key.Future) {
				a.Priority, a.Status, a.Future = p, st, h.key.Future
			}
			if !d.IsZero() && (a.DueDate.IsZero() || d.Before(a.DueDate)) {
				a.DueDate = d
			}
			if e.awaiting != "" {
				awaited = true
				stripeOnly = stripeOnly && e.awaiting == "stripe"
			}
		}
		if a.Priority == 0 {
			*a = Action{} // the slot is used again, and must be zero
			out = out[:len(out)-1]
			return
		}
		first := &s.sources[group[0].h].entries[group[0].i]
		a.Kind, a.Field = first.kind, first.field
		kc, ke := len(caps), len(errs)
		for _, r := range group {
			h := &s.sources[r.h]
			e := &h.entries[r.i]
			caps = append(caps, e.caps...)
			if h.key.Capability != "" {
				caps = append(caps, h.key.Capability)
			}
			c := &cur[r.h]
			for n := *c; n < ends[r.h]; n++ {
				er := &h.errors[byReq[n]]
				cmp := strings.Compare(er.requirement, e.field)
				if cmp > 0 {
					break
				}
				if cmp < 0 {
					*c = n + 1 // an error for no listed field: skipped
					continue
				}
				errs = append(errs, Error{Code: er.code, Reason: er.reason})
			}
			for _, er := range e.errs {
				errs = append(errs, Error{Code: er.code, Reason: er.reason})
			}
		}
		if len(caps) > kc {
			if len(caps) > kc+1 {
				slices.Sort(caps[kc:])
				caps = append(caps[:kc], slices.Compact(caps[kc:])...)
			}
			a.Capabilities = caps[kc:len(caps):len(caps)]
		}
		if len(errs) > ke {
			if len(group) > 1 {
				errs = errs[:ke+len(dedupErrors(errs[ke:]))]
			}
			a.Errors = errs[ke:len(errs):len(errs)]
			for _, er := range a.Errors {
				a.Remedies = a.Remedies.With(er.Code.Remedy())
			}
		}
		if a.Kind == InformationRequest {
			a.Paths = PathsOf(PathSubmit, PathContactSupport)
			a.AwaitingActionFrom = ActorPlatform
		} else {
			a.Paths = a.Paths.With(PathRemediationLink)
			a.AwaitingActionFrom = ActorAccount
			if opts.PlatformCollects {
				a.Paths = a.Paths.With(PathSubmit)
				a.AwaitingActionFrom = ActorPlatform
			}
			if len(a.Errors) > 0 {
				a.Paths = a.Paths.With(PathContactSupport)
			}
			if awaited && stripeOnly {
				a.AwaitingActionFrom = ActorStripe
			}
		}
		if !a.DueDate.IsZero() {
			if d := a.DueDate.UnixNano(); !slices.Contains(dates[max(0, len(dates)-4):], d) {
				dates = append(dates, d)
			}
		}
	})
	sortActions(out[base:], dates)
	return out
}

// dedupErrors removes the later copies of repeated errors from errs in
// place, keeping order, and returns what is left: pairwise for a few,
// through a map for many (so a field with thousands of errors in several
// hashes stays linear).
func dedupErrors(errs []Error) []Error {
	if len(errs) <= 16 {
		n := 0
		for _, er := range errs {
			if !slices.Contains(errs[:n], er) {
				errs[n] = er
				n++
			}
		}
		return errs[:n]
	}
	seen := make(map[Error]struct{}, len(errs))
	n := 0
	for _, er := range errs {
		if _, ok := seen[er]; !ok {
			seen[er] = struct{}{}
			errs[n] = er
			n++
		}
	}
	return errs[:n]
}

// priorityAt returns the category of e at now and its status, or 0; due is
// e's due date (Set.dueDate). A currently due entry whose due date has
// arrived counts as past due; pending verification as eventually due
// (due later and under review: the due list counts). It reads the lists
// as bits, and now as an instant (see instant), on the hot path of
// ActionsRequired.
func priorityAt(h *source, e *entry, due time.Time, now instant) (Priority, Status) {
	l := e.lists
	var past, current bool
	switch {
	case l&(bitCurrentlyDue|bitEventuallyDue|bitPastDue) == 0: // not due
		return 0, ""
	case l&bitPastDue != 0:
		past = true
	case l&bitCurrentlyDue != 0:
		past = now.reached(due)
		current = !past
	}
	st := EventuallyDue
	switch {
	case past:
		st = PastDue
	case current:
		st = CurrentlyDue
	}
	switch {
	case e.kind == InformationRequest:
		return PriorityInformationRequest, st
	case past:
		return PriorityPastDue, st
	case h.key.Future:
		return PriorityFutureRequirement, st
	case current:
		return PriorityCurrentlyDue, st
	}
	return PriorityEventuallyDue, st
}

// instant is a time as Unix seconds and nanoseconds, to compare many due
// dates with one now without a call per comparison. A time outside years
// 1–9999 (where Unix seconds and time.Time's own comparison part ways)
// is compared as time.Time does.
type instant struct {
	t    time.Time
	sec  int64
	nsec int
	fast bool
}

func instantOf(t time.Time) instant {
	y := t.Year()
	return instant{t: t, sec: t.Unix(), nsec: t.Nanosecond(), fast: y >= 1 && y <= 9999}
}

// reached reports arrived(due, t): due is not zero and not after t.
func (t instant) reached(due time.Time) bool {
	if due.IsZero() {
		return false
	}
	if !t.fast {
		return !t.t.Before(due)
	}
	s := due.Unix()
	return s < t.sec || s == t.sec && due.Nanosecond() <= t.nsec
}

// sortActions orders out (in field order), in place, by priority, then due date
// (none last), keeping field order within: a counting sort over (priority,
// due-date rank) buckets, linear plus sorting the distinct due dates (dates
// holds each, perhaps more than once).
func sortActions(out []Action, dates []int64) {
	slices.Sort(dates)
	ds := slices.Compact(dates)
	nr := len(ds) + 1 // rank len(ds) is "no due date"
	bucket := func(a *Action) int {
		r := nr - 1
		if !a.DueDate.IsZero() {
			r, _ = slices.BinarySearch(ds, a.DueDate.UnixNano())
		}
		return (int(a.Priority)-1)*nr + r
	}
	var countBuf, keysBuf, srcBuf [128]int32 // on the stack, for lists that fit
	count := zeroed(countBuf[:], 5*nr+1)
	keys := zeroed(keysBuf[:], len(out))
	sorted := true
	for i := range out {
		b := bucket(&out[i])
		keys[i] = int32(b)
		count[b+1]++
		if i > 0 && keys[i-1] > keys[i] {
			sorted = false
		}
	}
	if sorted {
		return
	}
	for b := 1; b < len(count); b++ {
		count[b] += count[b-1]
	}
	// keys becomes the inverse of the stable counting sort's permutation:
	// keys[j] is the index of the action that belongs at j, and j = -1
	// once placed. Following each cycle from its leader moves every
	// action once.
	src := zeroed(srcBuf[:], len(out))
	for i, b := range keys {
		src[count[b]] = int32(i)
		count[b]++
	}
	for i := range out {
		if src[i] < 0 || int(src[i]) == i {
			continue
		}
		tmp := out[i]
		j := i
		for int(src[j]) != i {
			next := int(src[j])
			out[j] = out[next]
			src[j] = -1
			j = next
		}
		out[j] = tmp
		src[j] = -1
	}
}

// ref is one entry: hash index and entry index.
type ref struct{ h, i int }

// mergeWalk calls fn for each (field, kind) with every entry for it, over
// all hashes, in (field, kind) order: a k-way merge of the hashes' sorted
// entries through a binary heap, O(n log k).
func (s Set) mergeWalk(fn func(group []ref)) {
	k := len(s.sources)
	var posBuf, heapBuf [16]int // on the stack, for sets that fit
	pos := zeroed(posBuf[:], k)
	heap := heapBuf[:0]
	key := func(h int) *entry { return &s.sources[h].entries[pos[h]] }
	less := func(a, b int) bool {
		ea, eb := key(a), key(b)
		if c := compareEntryKey(ea.field, ea.kind, "", eb.field, eb.kind, ""); c != 0 {
			return c < 0
		}
		return a < b
	}
	down := func(i int) {
		for {
			l, m := 2*i+1, i
			if l < len(heap) && less(heap[l], heap[m]) {
				m = l
			}
			if r := l + 1; r < len(heap) && less(heap[r], heap[m]) {
				m = r
			}
			if m == i {
				return
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	for h := range k {
		if len(s.sources[h].entries) > 0 {
			heap = append(heap, h)
		}
	}
	for i := len(heap)/2 - 1; i >= 0; i-- {
		down(i)
	}
	var group []ref
	for len(heap) > 0 {
		h := heap[0]
		e := key(h)
		if len(group) > 0 {
			g := &s.sources[group[0].h].entries[group[0].i]
			if g.field != e.field || g.kind != e.kind {
				fn(group)
				group = group[:0]
			}
		}
		group = append(group, ref{h, pos[h]})
		pos[h]++
		if pos[h] == len(s.sources[h].entries) {
			heap[0] = heap[len(heap)-1]
			heap = heap[:len(heap)-1]
		}
		down(0)
	}
	if len(group) > 0 {
		fn(group)
	}
}

// zeroed returns buf[:n] cleared when n fits in buf (a caller's array on
// its stack), and a new slice otherwise.
func zeroed[T int | int32](buf []T, n int) []T {
	if n <= len(buf) {
		clear(buf[:n])
		return buf[:n]
	}
	return make([]T, n)
}
